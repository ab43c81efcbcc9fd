extension GoRegex {
    /// Go `ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}` expand to groups, `$$` is `$`.
    /// As in Go, `$1x` means the group named `1x` (use `${1}x`).
    public func replaceAll(in s: String, with template: String) -> String {
        let pieces = TemplatePiece.parse(Array(template.utf8))
        let needsGroups = pieces.contains { if case .reference = $0 { return true } else { return false } }
        return replace(s, slotCount: needsGroups ? program.slotCount : 2) { out, bytes, slots in
            emit(pieces, into: &out) { k in
                guard 2 * k + 1 < slots.count, slots[2 * k] >= 0 else { return nil }
                return bytes[slots[2 * k]..<slots[2 * k + 1]]
            }
        }
    }

    /// Go `ReplaceAllLiteralString`.
    public func replaceAllLiteral(in s: String, with replacement: String) -> String {
        let replacementBytes = Array(replacement.utf8)
        return replace(s, slotCount: 2) { out, _, _ in out.append(contentsOf: replacementBytes) }
    }

    /// Go `ReplaceAllStringFunc`: each match is replaced by `transform(matchedText)`.
    public func replaceAll(in s: String, using transform: (String) -> String) -> String {
        replace(s, slotCount: 2) { out, bytes, slots in
            out.append(contentsOf: Array(transform(String(decoding: bytes[slots[0]..<slots[1]], as: UTF8.self)).utf8))
        }
    }

    /// Go `Expand`: the template with `$` references filled from one match of this regexp.
    public func expand(template: String, match: GoRegexMatch) -> String {
        var out: [UInt8] = []
        emit(TemplatePiece.parse(Array(template.utf8)), into: &out) { k in
            guard k < match.groups.count, let text = match.groups[k] else { return nil }
            return ArraySlice(text.utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go `Split(s, limit)`: the substrings between matches; limit 0 gives [], negative gives all.
    public func split(_ s: String, limit: Int = -1) -> [String] {
        if limit == 0 { return [] }
        let bytes = Array(s.utf8)
        if !pattern.isEmpty && bytes.isEmpty { return [""] }
        let matches = allSlots(bytes, limit: limit, slotCount: 2)
        var pieces: [String] = []
        var begin = 0
        var end = 0
        for slots in matches {
            if limit > 0 && pieces.count >= limit - 1 { break }
            end = slots[0]
            if slots[1] != 0 {
                pieces.append(String(decoding: bytes[begin..<end], as: UTF8.self))
            }
            begin = slots[1]
        }
        if end != bytes.count {
            pieces.append(String(decoding: bytes[begin...], as: UTF8.self))
        }
        return pieces
    }

    /// Go `regexp.QuoteMeta`: escapes every metacharacter `\.+*?()|[]{}^$`.
    public static func quoteMeta(_ s: String) -> String {
        var out: [UInt8] = []
        for b in s.utf8 {
            if Array(#"\.+*?()|[]{}^$"#.utf8).contains(b) { out.append(UInt8(ascii: "\\")) }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Internals

    /// Go's replaceAll loop.
    private func replace(_ s: String, slotCount: Int,
                         _ emit: (inout [UInt8], [UInt8], [Int]) -> Void) -> String {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var vm = PikeVM(program: program, input: bytes, slotCount: slotCount)
        var lastMatchEnd = 0
        var searchPosition = 0
        while searchPosition <= bytes.count {
            guard let slots = vm.search(from: searchPosition) else { break }
            out.append(contentsOf: bytes[lastMatchEnd..<slots[0]])
            if slots[1] > lastMatchEnd || slots[0] == 0 {
                emit(&out, bytes, slots)
            }
            lastMatchEnd = slots[1]
            let width = searchPosition < bytes.count ? UTF8Decoding.decode(bytes, at: searchPosition).width : 0
            if searchPosition + width > slots[1] {
                searchPosition += width
            } else if searchPosition + 1 > slots[1] {
                searchPosition += 1
            } else {
                searchPosition = slots[1]
            }
        }
        out.append(contentsOf: bytes[lastMatchEnd...])
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the template, resolving references through `group` (nil = group did not participate).
    /// A name resolves to the first participating group with that name, as in Go.
    private func emit(_ pieces: [TemplatePiece], into out: inout [UInt8],
                      group: (Int) -> ArraySlice<UInt8>?) {
        for piece in pieces {
            switch piece {
            case .literal(let bytes):
                out.append(contentsOf: bytes)
            case .reference(.number(let k)):
                if let text = group(k) { out.append(contentsOf: text) }
            case .reference(.name(let name)):
                for (k, groupName) in subexpressionNames.enumerated() where groupName == name {
                    if let text = group(k) {
                        out.append(contentsOf: text)
                        break
                    }
                }
            }
        }
    }
}

/// A `$` reference in a replacement template.
enum TemplateReference {
    case number(Int)
    case name(String)
}

/// A parsed Go replacement template: literal text and `$` references.
enum TemplatePiece {
    case literal([UInt8])
    case reference(TemplateReference)

    /// Go's expand loop: `$$` is `$`, a malformed reference leaves the `$` as text.
    static func parse(_ template: [UInt8]) -> [TemplatePiece] {
        var pieces: [TemplatePiece] = []
        var literal: [UInt8] = []
        var i = 0
        let n = template.count
        while i < n {
            guard let dollar = template[i...].firstIndex(of: UInt8(ascii: "$")) else { break }
            literal.append(contentsOf: template[i..<dollar])
            i = dollar + 1
            if i < n && template[i] == UInt8(ascii: "$") {
                literal.append(UInt8(ascii: "$"))
                i += 1
                continue
            }
            guard let (reference, rest) = extractReference(template, from: i) else {
                literal.append(UInt8(ascii: "$"))
                continue
            }
            i = rest
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal.removeAll()
            pieces.append(.reference(reference))
        }
        if i < n { literal.append(contentsOf: template[i...]) }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }
}

/// Go's extract: `name` or `{name}` where name is letters, digits and `_`; numeric names
/// (no leading zero, < 1e8) are group numbers.
private func extractReference(_ t: [UInt8], from start: Int) -> (TemplateReference, Int)? {
    var i = start
    let n = t.count
    if i >= n { return nil }
    let brace = t[i] == UInt8(ascii: "{")
    if brace { i += 1 }
    let nameStart = i
    while i < n {
        let (r, width, _) = UTF8Decoding.decode(t, at: i)
        guard let scalar = Unicode.Scalar(UInt32(r)), isNameCharacter(scalar) else { break }
        i += width
    }
    if i == nameStart { return nil }
    let nameBytes = t[nameStart..<i]
    if brace {
        if i >= n || t[i] != UInt8(ascii: "}") { return nil }
        i += 1
    }
    var number = 0
    for b in nameBytes {
        if b < 0x30 || b > 0x39 || number >= 100_000_000 {
            number = -1
            break
        }
        number = number * 10 + Int(b - 0x30)
    }
    if nameBytes.first == UInt8(ascii: "0") && nameBytes.count > 1 { number = -1 }
    if number >= 0 { return (.number(number), i) }
    return (.name(String(decoding: nameBytes, as: UTF8.self)), i)
}

/// Go's `unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'`.
private func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "_" { return true }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
        return true
    default:
        return false
    }
}
