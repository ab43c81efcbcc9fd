/// Compiles a `RegexNode` into a `RegexProgram`, applying Go's simplifications (counted
/// repetitions expanded, `x**` collapsed, nullable `x*` compiled as `(x+)?`).
struct RegexCompiler {
    private struct Hole {
        var instruction: Int
        var secondary: Bool
    }

    private struct Fragment {
        var start: Int          // 0 = can never match
        var holes: [Hole]
        var nullable: Bool
    }

    private var instructions: [Instruction] = [.fail]

    static func compile(_ root: RegexNode, captureCount: Int) -> RegexProgram {
        var compiler = RegexCompiler()
        let body = compiler.compile(simplify(root))
        let match = compiler.emit(.match)
        compiler.patch(body.holes, to: match)
        return RegexProgram(instructions: compiler.instructions, start: body.start, slotCount: 2 * (captureCount + 1))
    }

    // MARK: - Simplification (Go's Regexp.Simplify)

    private static func simplify(_ node: RegexNode) -> RegexNode {
        switch node {
        case .capture(let index, let name, let sub):
            return .capture(index: index, name: name, simplify(sub))
        case .concat(let subs):
            return .concat(subs.map(simplify))
        case .alternate(let subs):
            return .alternate(subs.map(simplify))
        case .star(let sub, let ng):
            return simplifyUnary(.star(simplify(sub), nonGreedy: ng))
        case .plus(let sub, let ng):
            return simplifyUnary(.plus(simplify(sub), nonGreedy: ng))
        case .quest(let sub, let ng):
            return simplifyUnary(.quest(simplify(sub), nonGreedy: ng))
        case .repeat(let rawSub, let min, let max, let ng):
            // Counted repetitions are expanded by compileRepeat, iteratively (Go expands them here).
            let sub = simplify(rawSub)
            if min == 0 && max == 0 { return .emptyMatch }
            if max == -1 && min == 0 { return simplifyUnary(.star(sub, nonGreedy: ng)) }
            if max == -1 && min == 1 { return simplifyUnary(.plus(sub, nonGreedy: ng)) }
            if min == 1 && max == 1 { return sub }
            return .repeat(sub, min: min, max: max, nonGreedy: ng)
        default:
            return node
        }
    }

    /// Go's simplify1: `x**` is `x*`, and repetition of an empty match is an empty match.
    private static func simplifyUnary(_ node: RegexNode) -> RegexNode {
        switch node {
        case .star(let sub, let ng), .plus(let sub, let ng), .quest(let sub, let ng):
            if case .emptyMatch = sub { return sub }
            switch (node, sub) {
            case (.star, .star(_, let inner)) where inner == ng: return sub
            case (.plus, .plus(_, let inner)) where inner == ng: return sub
            case (.quest, .quest(_, let inner)) where inner == ng: return sub
            default: return node
            }
        default:
            return node
        }
    }

    // MARK: - Emission

    private mutating func emit(_ instruction: Instruction) -> Int {
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func patch(_ holes: [Hole], to target: Int) {
        for hole in holes {
            switch instructions[hole.instruction] {
            case .rune(let ranges, _): instructions[hole.instruction] = .rune(ranges, next: target)
            case .rune1(let r, _): instructions[hole.instruction] = .rune1(r, next: target)
            case .anyRune: instructions[hole.instruction] = .anyRune(next: target)
            case .anyRuneNotNL: instructions[hole.instruction] = .anyRuneNotNL(next: target)
            case .split(let primary, let secondary):
                instructions[hole.instruction] = hole.secondary
                    ? .split(primary: primary, secondary: target)
                    : .split(primary: target, secondary: secondary)
            case .capture(let slot, _): instructions[hole.instruction] = .capture(slot: slot, next: target)
            case .assert(let assertion, _): instructions[hole.instruction] = .assert(assertion, next: target)
            case .nop: instructions[hole.instruction] = .nop(next: target)
            case .fail, .match: break
            }
        }
    }

    private mutating func single(_ instruction: Instruction, nullable: Bool) -> Fragment {
        let index = emit(instruction)
        return Fragment(start: index, holes: [Hole(instruction: index, secondary: false)], nullable: nullable)
    }

    private mutating func runeFragment(_ ranges: RuneRanges) -> Fragment {
        let pairs = ranges.pairs
        if pairs.count == 2 && pairs[0] == pairs[1] {
            return single(.rune1(pairs[0], next: 0), nullable: false)
        }
        if pairs == [0, maxRune] {
            return single(.anyRune(next: 0), nullable: false)
        }
        if pairs == [0, 0x09, 0x0B, maxRune] {
            return single(.anyRuneNotNL(next: 0), nullable: false)
        }
        return single(.rune(ranges, next: 0), nullable: false)
    }

    private mutating func literalRune(_ r: Rune, foldCase: Bool) -> Fragment {
        guard foldCase else { return single(.rune1(r, next: 0), nullable: false) }
        let orbit = CaseFolding.orbit(of: r)
        if orbit.count == 1 { return single(.rune1(r, next: 0), nullable: false) }
        var set = RuneRanges()
        for member in orbit { set.append(member, member) }
        return runeFragment(set.cleaned())
    }

    private mutating func cat(_ f1: Fragment, _ f2: Fragment) -> Fragment {
        if f1.start == 0 || f2.start == 0 { return Fragment(start: 0, holes: [], nullable: false) }
        patch(f1.holes, to: f2.start)
        return Fragment(start: f1.start, holes: f2.holes, nullable: f1.nullable && f2.nullable)
    }

    private mutating func alt(_ f1: Fragment, _ f2: Fragment) -> Fragment {
        if f1.start == 0 { return f2 }
        if f2.start == 0 { return f1 }
        let index = emit(.split(primary: f1.start, secondary: f2.start))
        return Fragment(start: index, holes: f1.holes + f2.holes, nullable: f1.nullable || f2.nullable)
    }

    private mutating func quest(_ f1: Fragment, nonGreedy: Bool) -> Fragment {
        let index: Int
        let hole: Hole
        if nonGreedy {
            index = emit(.split(primary: 0, secondary: f1.start))
            hole = Hole(instruction: index, secondary: false)
        } else {
            index = emit(.split(primary: f1.start, secondary: 0))
            hole = Hole(instruction: index, secondary: true)
        }
        return Fragment(start: index, holes: [hole] + f1.holes, nullable: true)
    }

    /// The loop of `x*` / `x+`: a split that re-enters `f1` or leaves.
    private mutating func loop(_ f1: Fragment, nonGreedy: Bool) -> Fragment {
        let index: Int
        let hole: Hole
        if nonGreedy {
            index = emit(.split(primary: 0, secondary: f1.start))
            hole = Hole(instruction: index, secondary: false)
        } else {
            index = emit(.split(primary: f1.start, secondary: 0))
            hole = Hole(instruction: index, secondary: true)
        }
        patch(f1.holes, to: index)
        return Fragment(start: index, holes: [hole], nullable: true)
    }

    private mutating func star(_ f1: Fragment, nonGreedy: Bool) -> Fragment {
        if f1.nullable {
            // (x+)? keeps Go's priority order when x can match empty (golang.org/issue/46123).
            return quest(plus(f1, nonGreedy: nonGreedy), nonGreedy: nonGreedy)
        }
        return loop(f1, nonGreedy: nonGreedy)
    }

    private mutating func plus(_ f1: Fragment, nonGreedy: Bool) -> Fragment {
        let looped = loop(f1, nonGreedy: nonGreedy)
        return Fragment(start: f1.start, holes: looped.holes, nullable: f1.nullable)
    }

    /// `x{n,}` is n-1 copies of x then `x+`; `x{n,m}` is n copies of x then m-n nested optional
    /// copies, `xx(x(x(x)?)?)?` (Go's simplify), built without recursing once per copy.
    private mutating func compileRepeat(_ sub: RegexNode, min: Int, max: Int, nonGreedy: Bool) -> Fragment {
        var fragment: Fragment? = nil
        func append(_ next: Fragment, to fragment: inout Fragment?) {
            fragment = fragment.map { cat($0, next) } ?? next
        }
        if max == -1 {
            for _ in 0..<(min - 1) { append(compile(sub), to: &fragment) }
            append(compile(Self.simplifyUnary(.plus(sub, nonGreedy: nonGreedy))), to: &fragment)
            return fragment ?? Fragment(start: 0, holes: [], nullable: false)
        }
        for _ in 0..<min { append(compile(sub), to: &fragment) }
        if max > min {
            var suffix = compile(Self.simplifyUnary(.quest(sub, nonGreedy: nonGreedy)))
            if max - min > 1 {
                for _ in (min + 1)..<max {
                    suffix = quest(cat(compile(sub), suffix), nonGreedy: nonGreedy)
                }
            }
            append(suffix, to: &fragment)
        }
        return fragment ?? Fragment(start: 0, holes: [], nullable: false)
    }

    private mutating func compile(_ node: RegexNode) -> Fragment {
        switch node {
        case .noMatch:
            return Fragment(start: 0, holes: [], nullable: false)
        case .emptyMatch:
            return single(.nop(next: 0), nullable: true)
        case .literal(let runes, let foldCase):
            guard var fragment = runes.first.map({ literalRune($0, foldCase: foldCase) }) else {
                return single(.nop(next: 0), nullable: true)
            }
            for r in runes.dropFirst() {
                fragment = cat(fragment, literalRune(r, foldCase: foldCase))
            }
            return fragment
        case .charClass(let ranges):
            if ranges.isEmpty { return Fragment(start: 0, holes: [], nullable: false) }
            return runeFragment(ranges)
        case .anyCharNotNL:
            return single(.anyRuneNotNL(next: 0), nullable: false)
        case .anyChar:
            return single(.anyRune(next: 0), nullable: false)
        case .beginLine: return single(.assert(.beginLine, next: 0), nullable: true)
        case .endLine: return single(.assert(.endLine, next: 0), nullable: true)
        case .beginText: return single(.assert(.beginText, next: 0), nullable: true)
        case .endText: return single(.assert(.endText, next: 0), nullable: true)
        case .wordBoundary: return single(.assert(.wordBoundary, next: 0), nullable: true)
        case .noWordBoundary: return single(.assert(.noWordBoundary, next: 0), nullable: true)
        case .capture(let index, _, let sub):
            let open = single(.capture(slot: 2 * index, next: 0), nullable: true)
            let body = compile(sub)
            let close = single(.capture(slot: 2 * index + 1, next: 0), nullable: true)
            return cat(cat(open, body), close)
        case .star(let sub, let ng):
            return star(compile(sub), nonGreedy: ng)
        case .plus(let sub, let ng):
            return plus(compile(sub), nonGreedy: ng)
        case .quest(let sub, let ng):
            return quest(compile(sub), nonGreedy: ng)
        case .repeat(let sub, let min, let max, let ng):
            return compileRepeat(sub, min: min, max: max, nonGreedy: ng)
        case .concat(let subs):
            guard let first = subs.first else { return single(.nop(next: 0), nullable: true) }
            var fragment = compile(first)
            for sub in subs.dropFirst() {
                fragment = cat(fragment, compile(sub))
            }
            return fragment
        case .alternate(let subs):
            var fragment = Fragment(start: 0, holes: [], nullable: false)
            for sub in subs {
                fragment = alt(fragment, compile(sub))
            }
            return fragment
        }
    }
}
