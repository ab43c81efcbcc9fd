"""Compares \\p{Category} / \\p{Script} (plain, negated, (?i)) between ESRegex and Go on random text.
Differences are expected only for code points assigned after the older of the two Unicode versions."""
import json, os, random, subprocess, sys, re
rng = random.Random(5)
src = open(os.path.join(os.environ["GOROOT_SRC"], "unicode/tables.go")).read()
scripts = re.findall(r'"([A-Za-z_]+)":\s*[A-Za-z_]+,', re.search(r'var Scripts = map\[string\]\*RangeTable\{(.*?)\n\}', src, re.S).group(1))
cats = ["L","Lu","Ll","Lt","Lm","Lo","M","Mn","Mc","Me","N","Nd","Nl","No","P","Pc","Pd","Ps","Pe","Pi","Pf","Po","S","Sm","Sc","Sk","So","Z","Zs","Zl","Zp","C","Cc","Cf","Co"]
cases = []
for name in cats + scripts:
    for fold in ["", "(?i)"]:
        for neg in ["p", "P"]:
            inputs = []
            for _ in range(6):
                s = "".join(chr(rng.choice([rng.randint(0x20, 0x2FFF), rng.randint(0x3000, 0xFFFD), rng.randint(0x10000, 0x1FFFF)])) for _ in range(40))
                s = "".join(c for c in s if not (0xD800 <= ord(c) <= 0xDFFF))
                inputs.append(s)
            cases.append({"pattern": fold + "\\" + neg + "{" + name + "}", "inputs": inputs})
data = "".join(json.dumps(c) + "\n" for c in cases)
go = subprocess.run([os.environ["GO_ORACLE"]], input=data.encode(), capture_output=True, check=True).stdout.decode().split("\n")[:-1]
sw = subprocess.run([os.environ["SWIFT_ORACLE"]], input=data.encode(), capture_output=True, check=True).stdout.decode().split("\n")[:-1]
bad = {}
for c, g, s in zip(cases, go, sw):
    g = json.loads(g); s = json.loads(s)
    if g["error"] != s["error"]:
        bad[c["pattern"]] = ("error", g["error"], s["error"]); continue
    if g["error"]: continue
    for inp, gf, sf in zip(c["inputs"], g["find"], s["find"]):
        if gf != sf:
            gs = set(tuple(x) for x in gf); ss = set(tuple(x) for x in sf)
            b = inp.encode()
            diff = [b[x[0]:x[1]].decode() for x in gs ^ ss]
            bad.setdefault(c["pattern"], []).extend("U+%04X" % ord(ch) for ch in diff[:3])
print(len(cases), "patterns;", len(bad), "differ")
for k, v in list(bad.items())[:40]:
    print(k, v if isinstance(v, tuple) else sorted(set(v))[:6])
