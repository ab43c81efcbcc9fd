/// A failure to parse JSON text, worded as Go's encoding/json words it (the Kubernetes tools users
/// know print these), with the byte offset where it happened.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public var description: String { message }
}

extension JSON {
    /// The deepest nesting accepted; deeper input is rejected instead of exhausting the stack.
    public static let maximumDepth = 512

    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        var text = text
        return try text.withUTF8 { buffer in Result { () throws(JSONParseError) in try parse(buffer) } }.get()
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSON {
        try bytes.withUnsafeBufferPointer { buffer in Result { () throws(JSONParseError) in try parse(buffer) } }.get()
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSON {
        var parser = JSONParser(buffer)
        return try parser.parseDocument()
    }

    public static func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSON {
        try parse(buffer.bindMemory(to: UInt8.self))
    }
}

struct JSONParser: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0
    /// Members of the objects being parsed, innermost last (see `parseObject`).
    var memberStack = ParseStack<JSONObject.Member>()
    /// Elements of the arrays being parsed, innermost last.
    var elementStack = ParseStack<JSON>()
    /// Field names and common values, shared instead of rebuilt (see `InternedStrings`).
    let interned = InternedStrings.shared
    /// Whether the string `parseString` returned last was written with escapes.
    var lastStringHadEscape = false
    /// The index `JSONTape.parse` records (see `recordValue`); unused by the other parses.
    var tape = ParseStack<JSONTape.Token>()

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func parseDocument() throws(JSONParseError) -> JSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if position < bytes.count {
            throw error("invalid character \(quoteChar(bytes[position])) after top-level value")
        }
        return value
    }

    // MARK: Values

    mutating func parseValue() throws(JSONParseError) -> JSON {
        guard position < bytes.count else { throw endOfInput() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let c: throw error("invalid character \(quoteChar(c)) looking for beginning of value")
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSON {
        // Members collect on the shared stack and move into an array of exactly their count at the end.
        let base = memberStack.count
        // On a parse error the partial members are dropped; on success `popArray` has taken them.
        defer { memberStack.pop(to: base) }
        // One bit per key length class and last byte: a duplicate key is only searched for when its bit
        // was already set, so the common case (no duplicates) never compares keys.
        var keyBits: UInt64 = 0
        try walkObject { parser throws(JSONParseError) in
            let keyStart = parser.position
            let key = try parser.parseString()
            // An ASCII key written without escapes has the length and last byte of its source text; any
            // other key is measured as decoded (invalid UTF-8 becomes U+FFFD, so different source bytes can
            // make equal keys), and an escaped one is always searched for.
            let bit: UInt64
            if parser.lastStringHadEscape {
                bit = UInt64.max
            } else if parser.isASCII(from: keyStart &+ 1, to: parser.position &- 1) {
                bit = Self.keyBit(length: parser.position &- keyStart &- 2, last: parser.bytes[parser.position &- 2])
            } else {
                bit = Self.keyBit(length: key.utf8.count, last: key.utf8.last ?? 0)
            }
            try parser.passColon()
            let value = try parser.parseValue()
            if keyBits & bit != 0,
               let existing = parser.memberStack.firstIndex(from: base, where: { JSONObject.sameKey($0.key, key) }) {
                parser.memberStack.replace(at: existing, with: JSONObject.Member(key: key, value: value))  // the last one wins, as in Go
            } else {
                keyBits |= bit
                parser.memberStack.push(JSONObject.Member(key: key, value: value))
            }
        }
        return .object(JSONObject(uniqueMembers: memberStack.popArray(from: base)))
    }

    /// Whether the source bytes in `start..<end` are all below 0x80 (eight at a time).
    @inline(__always)
    func isASCII(from start: Int, to end: Int) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = start
        var seen: UInt64 = 0
        while i &+ 8 <= end {
            seen |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i &+= 8
        }
        if i < end {
            if i &+ 8 <= bytes.count {
                // The last few bytes as one word, the bytes past `end` masked off.
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                seen |= word & (UInt64.max >> (64 &- 8 &* UInt64(truncatingIfNeeded: end &- i)))
            } else {
                while i < end {
                    seen |= UInt64(base[i])
                    i &+= 1
                }
            }
        }
        return seen & 0x8080_8080_8080_8080 == 0
    }

    @inline(__always)
    static func keyBit(length: Int, last: UInt8) -> UInt64 {
        1 << ((UInt64(truncatingIfNeeded: length) &* 7 &+ UInt64(last)) & 63)
    }

    mutating func parseArray() throws(JSONParseError) -> JSON {
        let base = elementStack.count
        defer { elementStack.pop(to: base) }
        try walkArray { parser throws(JSONParseError) in parser.elementStack.push(try parser.parseValue()) }
        return .array(elementStack.popArray(from: base))
    }

    // MARK: Structure (shared by the building and indexing parses)

    /// Passes one object, `{` to `}`, with Go's message for every syntax error; `member` is called at
    /// each key's opening quote and consumes the key, the colon (`passColon`) and the value.
    @inline(__always)
    mutating func walkObject(_ member: (inout JSONParser) throws(JSONParseError) -> Void) throws(JSONParseError) {
        try enter()
        position += 1  // {
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw error("invalid character \(quoteChar(bytes[position])) looking for beginning of object key string")
            }
            try member(&self)
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return
            case let c: throw error("invalid character \(quoteChar(c)) after object key:value pair")
            }
        }
    }

    /// Between a key and its value: optional whitespace, `:`, optional whitespace.
    @inline(__always)
    mutating func passColon() throws(JSONParseError) {
        skipWhitespace()
        guard position < bytes.count else { throw endOfInput() }
        guard bytes[position] == UInt8(ascii: ":") else {
            throw error("invalid character \(quoteChar(bytes[position])) after object key")
        }
        position += 1
        skipWhitespace()
    }

    /// Passes one array, `[` to `]`; `element` is called at each element and consumes it.
    @inline(__always)
    mutating func walkArray(_ element: (inout JSONParser) throws(JSONParseError) -> Void) throws(JSONParseError) {
        try enter()
        position += 1  // [
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return
            case let c: throw error("invalid character \(quoteChar(c)) after array element")
            }
        }
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSON.maximumDepth { throw error("exceeded max depth") }
    }

    // MARK: Strings

    mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        let start = position
        lastStringHadEscape = false
        // Fast path: no escapes. Eight bytes at a time: the lowest byte that is a quote, a backslash or
        // a control character ends the scan (the last few bytes of the document go one by one).
        if let base = bytes.baseAddress {
            var cursor = position
            while cursor &+ 8 <= bytes.count {
                let word = UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self)
                let special = Self.specialBytes(word)
                if special != 0 {
                    cursor &+= special.trailingZeroBitCount &>> 3
                    break
                }
                cursor &+= 8
            }
            position = cursor
        }
        while position < bytes.count {
            let c = bytes[position]
            if c == UInt8(ascii: "\"") {
                let count = position &- start
                position += 1
                // Up to 15 bytes a String is stored inline and cheaper to build than to look up; longer
                // well-known ones are shared instead of allocated.
                if count > 15, let base = bytes.baseAddress,
                   let known = interned.string(at: base + start, count: count, readable: bytes.count &- start) {
                    return known
                }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(start &+ count)]), as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("invalid character \(quoteChar(c)) in string literal") }
            position += 1
        }
        guard position < bytes.count else { throw endOfInput() }
        // Slow path: check the rest (finding the end), then decode into a buffer of at most the source's
        // length (no escape decodes to more bytes than it is written with).
        lastStringHadEscape = true
        let firstEscape = position
        try skipEscapedRest()
        let end = position &- 1  // the closing quote
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: end &- start) { out in
            let count = decodeEscapes(plainUpTo: firstEscape, from: start, to: end, into: out)
            return String(decoding: UnsafeBufferPointer(rebasing: out[..<count]), as: UTF8.self)
        }
    }

    /// Decodes the checked string body `start..<end` (plain up to `plainEnd`) into `out`; returns the
    /// byte count. A lone or unpaired surrogate becomes U+FFFD, as in Go.
    func decodeEscapes(plainUpTo plainEnd: Int, from start: Int, to end: Int, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress, let target = out.baseAddress else { return 0 }
        target.initialize(from: base + start, count: plainEnd &- start)
        var written = plainEnd &- start
        var i = plainEnd
        while i < end {
            let c = base[i]
            guard c == UInt8(ascii: "\\") else {
                // A run of plain bytes up to the next escape (or the end).
                var runEnd = i &+ 1
                while runEnd < end, base[runEnd] != UInt8(ascii: "\\") { runEnd &+= 1 }
                (target + written).initialize(from: base + i, count: runEnd &- i)
                written &+= runEnd &- i
                i = runEnd
                continue
            }
            let e = base[i &+ 1]
            i &+= 2
            let simple: UInt8
            switch e {
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"):
                var scalar = Self.hex4(base + i)
                i &+= 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate pairs with an immediately following \u low surrogate.
                    if i &+ 6 <= end, base[i] == UInt8(ascii: "\\"), base[i &+ 1] == UInt8(ascii: "u"),
                       case let low = Self.hex4(base + (i &+ 2)), (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 &+ ((scalar &- 0xD800) << 10) &+ (low &- 0xDC00)
                        i &+= 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00..<0xE000).contains(scalar) {
                    scalar = 0xFFFD
                }
                written &+= Self.encodeUTF8(scalar, into: target + written)
                continue
            default: simple = e  // \" \\ \/
            }
            target[written] = simple
            written &+= 1
        }
        return written
    }

    /// Four hex digits already checked by `parseHex4`.
    @inline(__always)
    static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = UInt32(p[k])
            value = value << 4 | (c <= 0x39 ? c &- 0x30 : (c | 0x20) &- 0x57)
        }
        return value
    }

    /// Writes `scalar` (a valid scalar or U+FFFD) as UTF-8; returns the byte count.
    @inline(__always)
    static func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case ..<0x80:
            out[0] = UInt8(truncatingIfNeeded: scalar)
            return 1
        case ..<0x800:
            out[0] = UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6)
            out[1] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 2
        case ..<0x10000:
            out[0] = UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12)
            out[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18)
            out[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            out[3] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 4
        }
    }

    /// The high bit of each byte of `word` that is `"`, `\\` or below 0x20 is set in the result; bits
    /// above the lowest set one may be false alarms (borrows), the lowest set one never is.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl) & highs
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw endOfInput() }
            let c = bytes[position]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid character \(quoteChar(c)) in \\u hexadecimal character escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    // MARK: Numbers

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        try skipNumber()
        return JSONNumber(text: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    /// Checks and passes one number (Go's grammar and messages) without building it.
    mutating func skipNumber() throws(JSONParseError) {
        if bytes[position] == UInt8(ascii: "-") {
            position += 1
            guard position < bytes.count else { throw endOfInput() }
        }
        guard isDigit(bytes[position]) else {
            throw error("invalid character \(quoteChar(bytes[position])) in numeric literal")
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count else { throw endOfInput() }
            guard isDigit(bytes[position]) else {
                throw error("invalid character \(quoteChar(bytes[position])) after decimal point in numeric literal")
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count else { throw endOfInput() }
            guard isDigit(bytes[position]) else {
                throw error("invalid character \(quoteChar(bytes[position])) in exponent of numeric literal")
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
    }

    // MARK: Helpers

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let utf8 = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for expected in utf8 {
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == expected else {
                throw error("invalid character \(quoteChar(bytes[position])) in literal \(literal) (expecting \(quoteChar(expected)))")
            }
            position += 1
        }
    }

    @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    @inline(__always) mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func endOfInput() -> JSONParseError { JSONParseError(message: "unexpected end of JSON input", offset: position) }
    func error(_ message: String) -> JSONParseError { JSONParseError(message: message, offset: position) }

    /// Go's quoteChar: `'x'`, with `'\''` and `'"'` special-cased and non-printables escaped.
    func quoteChar(_ c: UInt8) -> String {
        if c == UInt8(ascii: "'") { return "'\\''" }
        if c == UInt8(ascii: "\"") { return "'\"'" }
        if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        switch c {
        case 0x0A: return "'\\n'"
        case 0x0D: return "'\\r'"
        case 0x09: return "'\\t'"
        default:
            let hex = String(c, radix: 16)
            return c < 0x80 ? "'\\x\(hex.count == 1 ? "0" + hex : hex)'" : "'\\u00\(hex)'"
        }
    }
}

// MARK: - Skipping

extension JSONParser {
    /// Checks one container (object or array) and moves past it, building and recording nothing.
    mutating func skipContainer() throws(JSONParseError) {
        if bytes[position] == UInt8(ascii: "{") {
            try walkObject { parser throws(JSONParseError) in
                try parser.skipString()
                try parser.passColon()
                try parser.skipAnyValue()
            }
        } else {
            try walkArray { parser throws(JSONParseError) in try parser.skipAnyValue() }
        }
    }

    /// Checks one value and moves past it, building nothing.
    mutating func skipAnyValue() throws(JSONParseError) {
        guard position < bytes.count else { throw endOfInput() }
        switch bytes[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["): try skipContainer()
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        case let c: throw error("invalid character \(quoteChar(c)) looking for beginning of value")
        }
    }

    /// Passes a string without building it (escapes are checked by `skipEscapedRest`, with
    /// `parseString`'s errors). Returns whether it had escapes.
    @discardableResult
    mutating func skipString() throws(JSONParseError) -> Bool {
        position += 1  // opening quote
        if let base = bytes.baseAddress {
            while position &+ 8 <= bytes.count {
                let special = Self.specialBytes(UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                if special != 0 {
                    position &+= special.trailingZeroBitCount &>> 3
                    break
                }
                position &+= 8
            }
        }
        while position < bytes.count {
            let c = bytes[position]
            if c == UInt8(ascii: "\"") {
                position += 1
                return false
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("invalid character \(quoteChar(c)) in string literal") }
            position += 1
        }
        guard position < bytes.count else { throw endOfInput() }
        try skipEscapedRest()
        return true
    }

    /// The rest of a string from its first backslash: every escape checked as `parseString` checks it
    /// (same errors at the same offsets), nothing decoded.
    mutating func skipEscapedRest() throws(JSONParseError) {
        while position < bytes.count {
            let c = bytes[position]
            if c == UInt8(ascii: "\"") {
                position += 1
                return
            }
            if c == UInt8(ascii: "\\") {
                position += 1
                guard position < bytes.count else { throw endOfInput() }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    _ = try parseHex4()
                case let e:
                    throw error("invalid character \(quoteChar(e)) in string escape code")
                }
                continue
            }
            if c < 0x20 { throw error("invalid character \(quoteChar(c)) in string literal") }
            position += 1
            position = plainRunEnd(from: position)
        }
        throw endOfInput()
    }

    /// The offset of the first quote, backslash or control byte at or after `start` (eight bytes at a
    /// time), or a little before it near the end of the document (the caller goes on byte by byte).
    @inline(__always)
    func plainRunEnd(from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        var cursor = start
        while cursor &+ 8 <= bytes.count {
            let special = Self.specialBytes(UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self))
            if special != 0 { return cursor &+ (special.trailingZeroBitCount &>> 3) }
            cursor &+= 8
        }
        return cursor
    }
}
