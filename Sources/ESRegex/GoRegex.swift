/// One match: the matched text and every capture group (index 0 is the whole match;
/// nil for a group that did not participate, as Go's FindStringSubmatch returns "" there
/// but FindStringSubmatchIndex returns -1).
public struct GoRegexMatch: Sendable, Equatable {
    public var text: String
    public var groups: [String?]
    /// UTF-8 byte offsets of each group in the searched string (nil when it did not participate).
    public var byteRanges: [Range<Int>?]

    public init(text: String, groups: [String?], byteRanges: [Range<Int>?] = []) {
        self.text = text
        self.groups = groups
        self.byteRanges = byteRanges
    }
}

/// A compiled Go (RE2 syntax) regular expression with Go's `regexp` semantics:
/// leftmost-first matching over UTF-8 runes in time linear in the input.
public struct GoRegex: Sendable {
    /// The source text (Go's `String()`).
    public let pattern: String
    let program: RegexProgram
    /// Go's SubexpNames: index 0 is always "", then one name ("" if unnamed) per group.
    public let subexpressionNames: [String]

    /// Go `regexp.Compile`; throws Go's exact error on malformed input.
    public init(_ pattern: String) throws(GoRegexError) {
        try self.init(utf8: Array(pattern.utf8))
    }

    /// Compiles a pattern given as raw bytes (which may be invalid UTF-8, as Go strings can be).
    public init(utf8 bytes: [UInt8]) throws(GoRegexError) {
        let compiled = DeepStackRunner.needsDeepStack(bytes)
            ? DeepStackRunner.run { Self.compile(bytes) }
            : Self.compile(bytes)
        let (program, names) = try compiled.get()
        self.pattern = String(decoding: bytes, as: UTF8.self)
        self.program = program
        self.subexpressionNames = names
    }

    private static func compile(_ bytes: [UInt8]) -> Result<(RegexProgram, [String]), GoRegexError> {
        do {
            let parsed = try RegexParser.parse(bytes)
            return .success((RegexCompiler.compile(parsed.root, captureCount: parsed.captureCount), parsed.names))
        } catch {
            return .failure(error)
        }
    }

    /// Go's NumSubexp.
    public var numberOfSubexpressions: Int { subexpressionNames.count - 1 }

    /// Go's SubexpIndex: the index of the first group with that name, or -1.
    public func subexpressionIndex(_ name: String) -> Int {
        guard !name.isEmpty else { return -1 }
        return subexpressionNames.firstIndex(of: name) ?? -1
    }

    /// Go `MatchString` (unanchored).
    public func matches(_ s: String) -> Bool {
        var vm = PikeVM(program: program, input: Array(s.utf8), slotCount: 0)
        return vm.search(from: 0, stopAtFirstMatch: true) != nil
    }

    /// Go `FindStringSubmatch`.
    public func firstMatch(in s: String) -> GoRegexMatch? {
        let bytes = Array(s.utf8)
        var vm = PikeVM(program: program, input: bytes, slotCount: program.slotCount)
        return vm.search(from: 0).map { makeMatch($0, bytes) }
    }

    /// Go `FindAllStringSubmatch(s, limit)`; a negative limit means all matches.
    public func allMatches(in s: String, limit: Int = -1) -> [GoRegexMatch] {
        let bytes = Array(s.utf8)
        return allSlots(bytes, limit: limit, slotCount: program.slotCount).map { makeMatch($0, bytes) }
    }

    /// Go `FindAllStringSubmatchIndex`-style byte offsets (pairs per group, -1 when absent).
    public func allMatchOffsets(in s: String, limit: Int = -1) -> [[Int]] {
        allSlots(Array(s.utf8), limit: limit, slotCount: program.slotCount)
    }

    func makeMatch(_ slots: [Int], _ bytes: [UInt8]) -> GoRegexMatch {
        var groups: [String?] = []
        var ranges: [Range<Int>?] = []
        var k = 0
        while k + 1 < program.slotCount {
            let lo = k < slots.count ? slots[k] : -1
            let hi = k + 1 < slots.count ? slots[k + 1] : -1
            if lo >= 0 && hi >= lo {
                groups.append(String(decoding: bytes[lo..<hi], as: UTF8.self))
                ranges.append(lo..<hi)
            } else {
                groups.append(nil)
                ranges.append(nil)
            }
            k += 2
        }
        return GoRegexMatch(text: groups.first.flatMap { $0 } ?? "", groups: groups, byteRanges: ranges)
    }

    /// Go's allMatches: successive leftmost-first matches; an empty match directly after the
    /// previous match is skipped, and the search always advances by at least one rune.
    func allSlots(_ bytes: [UInt8], limit: Int, slotCount: Int) -> [[Int]] {
        let n = limit < 0 ? bytes.count + 1 : limit
        var results: [[Int]] = []
        var vm = PikeVM(program: program, input: bytes, slotCount: slotCount)
        var position = 0
        var previousMatchEnd = -1
        while results.count < n && position <= bytes.count {
            guard let slots = vm.search(from: position) else { break }
            var accept = true
            if slots[1] == position {
                if slots[0] == previousMatchEnd { accept = false }
                position += position < bytes.count ? UTF8Decoding.decode(bytes, at: position).width : 1
            } else {
                position = slots[1]
            }
            previousMatchEnd = slots[1]
            if accept { results.append(slots) }
        }
        return results
    }
}
