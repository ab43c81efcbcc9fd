"""Differential fuzzing of ESRegex against Go's regexp (run through differential.sh).

Usage: differential-fuzz.py SEED COUNT [valid|errors|alt]
  valid:  random well-formed patterns, compares FindAllStringSubmatchIndex, ReplaceAllString, Split, SubexpNames
  errors: mutated patterns, compares the compile error text too
  alt:    alternations mixing case-sensitive and (?i) branches (Go before 1.23 mis-factors these: golang/go#59007)
"""
import collections, json, os, random, subprocess, sys

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
N = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
mode = sys.argv[3] if len(sys.argv) > 3 else "valid"

ATOMS = ["a", "b", "c", ".", "[ab]", "[^a]", "[a-c]", "\\d", "\\w", "\\s", "\\b", "\\B", "^", "$", "\\A", "\\z",
         "x", "A", "\\n", " ", "[[:alpha:]]", "(?i:a)", "K", "\\pL", "é", "日", "[^\\n]", "\\.", "",
         "\\p{Greek}", "\\PL", "\\p{Lu}", "[\\p{Ll}\\d]", "σ", "Σ", "ſ", "s", "S", "k", "\\x41", "\\141", "\\x{65e5}",
         "\\Qa.\\E", "[[:^space:]]", "[^[:upper:]b]", "(?i)[a-c]", "(?i)[^k]", "\\W", "\\S", "\\D", "(?s:.)", "(?m:^)", "(?m:$)",
         "[\\x00-\\x{10FFFF}]", "[^\\x00-\\x{10FFFF}]", "(?U)a*", "\\pN", "\\p{Han}", "\\p{Cyrillic}", "ж", "Ж"]
FLAGS = ["", "(?i)", "(?s)", "(?m)", "(?U)", "(?is)", "(?-i)"]

def gen(depth):
    r = rng.random()
    if depth > 3 or r < 0.3:
        return rng.choice(ATOMS)
    if r < 0.5:
        return "".join(gen(depth + 1) for _ in range(rng.randint(2, 3)))
    if r < 0.62:
        return "|".join(gen(depth + 1) for _ in range(rng.randint(2, 3)))
    if r < 0.75:
        inner = gen(depth + 1)
        kind = rng.choice(["(", "(?:", "(?P<n%d>" % rng.randint(0, 3)])
        return kind + inner + ")"
    sub = gen(depth + 1)
    if not sub or sub in ("^", "$", "\\A", "\\z", "\\b", "\\B"):
        sub = "(" + sub + ")"
    if sub.endswith(("*", "+", "?", "}")):
        sub = "(?:" + sub + ")"
    op = rng.choice(["*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?", "??", "{1,2}?", "{3,5}", "{0,4}?", "{3,}", "{0}", "{1}", "{0,}", "{1,}?", "{2,4}"])
    return sub + op

def gen_input():
    alphabet = ["a", "b", "c", "A", "x", "ab", "AB", "Ab", "aB", "AA", "aa", "K", "k", "kk", " ", "\n", "é", "日", "K", "k", "1", "σ", "Σ", "ς", "ſ", "s", "S", "\u212a", "ж", "Ж", "α", "٣", "_", ".", "B"]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))

MUT = list("()[]{}*+?|\\^$-:,P<>=!aQEdx0123456789pi")
def mutate(p):
    p = list(p)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        pos = rng.randint(0, len(p))
        if op < 0.5:
            p.insert(pos, rng.choice(MUT))
        elif p:
            del p[min(pos, len(p) - 1)]
    return "".join(p)

ALTP = ["A", "(?i:a)", "K", "(?i:k)", "Ab", "(?i:ab)", "A\\z", "A.", "[Aa]", "[A]", "a", "(?i:a)b", "(?i)a", "A+", "A{2}",
        "(?i:a){2}", "b", "[ab]", "", "(?i:[a])", "(A)", "k", "\\x{212a}", "(?i:s)", "ſ", "S", "AB|Ac", "(?i:A|B)", ".", "(?s:.)"]
def gen_alt():
    parts = []
    for _ in range(rng.randint(2, 5)):
        parts.append("".join(rng.choice(ALTP) for _ in range(rng.randint(1, 3))))
    p = "|".join(parts)
    if rng.random() < 0.3:
        p = "(?:" + p + ")" + rng.choice(["", "x", "*", "$"])
    return p

cases = []
for _ in range(N):
    if mode == "alt":
        cases.append({"pattern": gen_alt(), "inputs": [gen_input() for _ in range(5)]})
        continue
    pat = rng.choice(FLAGS) + gen(0)
    if mode == "errors":
        pat = mutate(pat)
        # Go 1.19 predates (?<name> and the Go 1.25 \p name rules.
        if "(?<" in pat or "\\p" in pat or "\\P" in pat:
            continue
    cases.append({"pattern": pat, "inputs": [gen_input() for _ in range(4)]})

data = "".join(json.dumps(c) + "\n" for c in cases)
go = subprocess.run([os.environ["GO_ORACLE"]], input=data.encode(), capture_output=True, check=True).stdout.decode().split("\n")[:-1]
sw = subprocess.run([os.environ["SWIFT_ORACLE"]], input=data.encode(), capture_output=True, check=True).stdout.decode().split("\n")[:-1]
bad = 0
for c, g, s in zip(cases, go, sw):
    g = json.loads(g); s = json.loads(s)
    for k in ("find", "replace", "split", "names", "match"):
        if g.get(k) is None: g[k] = None if g["error"] else []
        if s.get(k) is None: s[k] = None if s["error"] else []
    if g["error"] != s["error"] or (not g["error"] and any(g[k] != s[k] for k in ("find", "replace", "split", "names", "match"))):
        bad += 1
        if bad <= 8:
            print("PATTERN", repr(c["pattern"]), "INPUTS", c["inputs"])
            for k in ("error", "find", "replace", "split", "names", "match"):
                if g.get(k) != s.get(k):
                    print("  ", k, "go:", g.get(k), "\n   ", k, "sw:", s.get(k))
errs = collections.Counter(json.loads(g)["error"].split(":")[1] if json.loads(g)["error"] else "ok" for g in go)
print("cases", len(cases), "mismatches", bad, dict(errs))
