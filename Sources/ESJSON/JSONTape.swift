#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A checked JSON document kept as its text plus a flat index of its values, for readers that look
/// at some fields and never need the whole tree (the admission webhook decoding one object per
/// request).
///
/// `JSONTape.parse` checks the document exactly as `JSON.parse` does (same grammar, depth limit and
/// messages) but builds no `JSON` values: it records one `Token` per value (and per object key) in
/// document order, each with its byte range and the index of the token after it. Reading a member is
/// then a scan over that object's keys; strings, numbers and whole subtrees are decoded only when
/// asked for, by the same code `JSON.parse` uses, so they come out identical to the tree's.
public final class JSONTape: @unchecked Sendable {
    // Immutable after init (hence Sendable): the document's bytes (copied, with zero padding so
    // word-at-a-time reads never leave the allocation) and its tokens, in memory this object owns.
    @usableFromInline let text: UnsafeMutablePointer<UInt8>
    @usableFromInline let textCount: Int
    @usableFromInline let tokens: UnsafeMutablePointer<Token>

    @usableFromInline
    enum Kind: UInt8, Sendable {
        case null, bool, number, string, array, object
    }

    /// One value (or object key) of the document.
    @usableFromInline
    struct Token: Sendable {
        /// Offset of the value's first byte (a string's opening quote, an object's `{`).
        var start: UInt32
        /// Offset just past the value's last byte.
        var end: UInt32
        /// Index of the token after this value and everything inside it.
        var next: UInt32
        /// Members of an object, elements of an array; for a boolean, 1 when true.
        var count: UInt32
        var kind: Kind
        /// See the flag constants.
        var flags: UInt8

        /// A string written with escapes (decoding it takes the parser's slow path).
        static let escaped: UInt8 = 1
        /// A key written without escapes or non-ASCII bytes (its source bytes are the key).
        static let plainASCII: UInt8 = 2
        /// An object in which some key occurs more than once.
        static let repeatedKeys: UInt8 = 4
        /// An object or array checked but not indexed (`count` and its members are unknown until read).
        static let unindexed: UInt8 = 8
    }

    /// Which members of a document to index. The members a selection leaves out are still checked, with
    /// the same errors, but an object or array among them is recorded as one token and indexed only if
    /// it is ever read: a request handler that reads a few fields of a large envelope does not pay for
    /// the rest (an admission review's `oldObject`, `userInfo`, ...).
    public indirect enum Selection: Sendable {
        /// The whole value.
        case everything
        /// If the value is an object, these members (each with its own selection); any other value whole.
        /// A short list, searched in order.
        case members(KeyValuePairs<String, Selection>)
    }

    private static let padding = 8

    /// Takes ownership of `tokens` (allocated and initialized; tokens are plain values, so freeing needs no count).
    init(copying bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafeMutablePointer<Token>) {
        text = .allocate(capacity: bytes.count &+ Self.padding)
        if let base = bytes.baseAddress { text.initialize(from: base, count: bytes.count) }
        (text + bytes.count).initialize(repeating: 0, count: Self.padding)
        textCount = bytes.count
        self.tokens = tokens
    }

    deinit {
        text.deallocate()
        tokens.deallocate()
    }

    /// Checks `bytes` as one JSON document and indexes it; the errors are `JSON.parse`'s.
    public static func parse(_ bytes: [UInt8], indexing selection: Selection = .everything) throws(JSONParseError) -> JSONTape {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer, indexing: selection) }
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, indexing selection: Selection = .everything) throws(JSONParseError) -> JSONTape {
        guard buffer.count < Int(UInt32.max) else {
            throw JSONParseError(message: "JSON document too large to index (4 GiB or more)", offset: 0)
        }
        var parser = JSONParser(buffer)
        parser.skipWhitespace()
        try parser.recordValue(selecting: selection)
        parser.skipWhitespace()
        if parser.position < buffer.count {
            throw parser.error("invalid character \(parser.quoteChar(buffer[parser.position])) after top-level value")
        }
        let (tokens, _) = parser.tape.takeStorage()
        // recordValue recorded at least one token, so the storage exists.
        guard let tokens else { throw parser.endOfInput() }
        return JSONTape(copying: buffer, tokens: tokens)
    }

    /// A tape of `value` (its serialized text, indexed): for code that reads tapes given a tree.
    public static func indexing(_ value: JSON) -> JSONTape {
        // The serializer writes valid JSON, so this parse cannot fail; `{}`'s tape stands in if it did.
        (try? parse(value.serialized())) ?? empty
    }

    /// The document's top-level value.
    public var root: Value { Value(tape: self, index: 0) }

    /// The document `{}`.
    public static let empty: JSONTape = {
        let token = UnsafeMutablePointer<Token>.allocate(capacity: 1)
        token.initialize(to: Token(start: 0, end: 2, next: 1, count: 0, kind: .object, flags: 0))
        let text: StaticString = "{}"
        return JSONTape(copying: UnsafeBufferPointer(start: text.utf8Start, count: 2), tokens: token)
    }()

    /// An object without members.
    public static var emptyObject: Object { Object(tape: empty, index: 0) }

    /// Runs `body` with a parser over the document positioned at `offset`.
    @inline(__always)
    func withParser<R>(at offset: UInt32, _ body: (inout JSONParser) -> R) -> R {
        var parser = JSONParser(UnsafeBufferPointer(start: text, count: textCount))
        parser.position = Int(offset)
        return body(&parser)
    }

    /// The decoded string of a string token (the same `String` `JSON.parse` builds for it).
    @inline(__always)
    func string(of token: Token) -> String {
        guard token.flags & Token.escaped == 0 else {
            return withParser(at: token.start) { parser in (try? parser.parseString()) ?? "" }
        }
        let start = Int(token.start) &+ 1
        let count = Int(token.end) &- 1 &- start
        if count > 15, let known = InternedStrings.shared.string(at: text + start, count: count, readable: textCount &+ Self.padding &- start) {
            return known
        }
        return String(decoding: UnsafeBufferPointer(start: text + start, count: count), as: UTF8.self)
    }
}

extension JSONTape {
    /// One value of a tape.
    public struct Value: Sendable {
        public let tape: JSONTape
        @usableFromInline let index: Int

        @usableFromInline
        init(tape: JSONTape, index: Int) {
            self.tape = tape
            self.index = index
        }

        @usableFromInline var token: Token { tape.tokens[index] }

        public var isNull: Bool { token.kind == .null }

        /// The kind of value, as error messages name it (`string`, `number`, `object`, ...), like `JSON.kindName`.
        public var kindName: String {
            switch token.kind {
            case .null: return "null"
            case .bool: return "bool"
            case .number: return "number"
            case .string: return "string"
            case .array: return "array"
            case .object: return "object"
            }
        }

        public var isString: Bool { token.kind == .string }

        /// The decoded string, `nil` when this is not a string.
        public var stringValue: String? {
            let token = self.token
            guard token.kind == .string else { return nil }
            return tape.string(of: token)
        }

        public var boolValue: Bool? {
            let token = self.token
            guard token.kind == .bool else { return nil }
            return token.count == 1
        }

        /// A number's text as written, `nil` when this is not a number.
        public var numberValue: JSONNumber? {
            let token = self.token
            guard token.kind == .number else { return nil }
            let bytes = UnsafeBufferPointer(start: tape.text + Int(token.start), count: Int(token.end &- token.start))
            return JSONNumber(text: String(decoding: bytes, as: UTF8.self))
        }

        /// This value as a `JSON` tree (decoded now, the same tree `JSON.parse` builds for it).
        public var json: JSON {
            tape.withParser(at: token.start) { parser in (try? parser.parseValue()) ?? .null }
        }

        /// Member access when this is an object.
        public var objectValue: Object? {
            let token = self.token
            guard token.kind == .object else { return nil }
            guard token.flags & Token.unindexed == 0 else { return indexed.objectValue }
            return Object(tape: tape, index: index)
        }

        /// This unindexed container, indexed now (its own tape).
        var indexed: Value {
            let token = self.token
            let text = UnsafeBufferPointer(start: tape.text + Int(token.start), count: Int(token.end &- token.start))
            // The text was checked when the document was parsed, so indexing it cannot fail.
            return ((try? JSONTape.parse(text)) ?? JSONTape.empty).root
        }

        /// The elements when this is an array.
        public var arrayValue: [Value]? { elements.map(Array.init) }

        /// Member `key` of an object (`nil` when absent or not an object).
        public subscript(key: String) -> Value? { objectValue?[key] }

        /// The elements when this is an array, visited in place (no array is built).
        public var elements: Elements? {
            let token = self.token
            guard token.kind == .array else { return nil }
            guard token.flags & Token.unindexed == 0 else { return indexed.elements }
            return Elements(tape: tape, nextIndex: index &+ 1, remaining: Int(token.count))
        }
    }

    /// An array's elements in order.
    public struct Elements: Sequence, IteratorProtocol, Sendable {
        let tape: JSONTape
        var nextIndex: Int
        var remaining: Int

        /// How many elements are left.
        public var underestimatedCount: Int { remaining }

        public mutating func next() -> Value? {
            guard remaining > 0 else { return nil }
            let value = Value(tape: tape, index: nextIndex)
            nextIndex = Int(tape.tokens[nextIndex].next)
            remaining &-= 1
            return value
        }
    }

    /// An object of a tape: members in document order; a repeated key's last value wins, as in Go
    /// and in `JSON.parse`.
    public struct Object: Sendable {
        public let tape: JSONTape
        @usableFromInline let index: Int

        /// The member `key`, `nil` when absent.
        public subscript(key: String) -> Value? {
            if let found = key.utf8.withContiguousStorageIfAvailable({ memberIndex(forKey: $0) }) {
                return found.map { Value(tape: tape, index: $0) }
            }
            var key = key
            return key.withUTF8 { memberIndex(forKey: $0) }.map { Value(tape: tape, index: $0) }
        }

        /// The token index of the value of member `wanted` (the last one when repeated).
        @inline(__always)
        func memberIndex(forKey wanted: UnsafeBufferPointer<UInt8>) -> Int? {
            let tokens = tape.tokens
            let object = tokens[index]
            let stopAtFirst = object.flags & Token.repeatedKeys == 0
            var keyIndex = index &+ 1
            var found: Int? = nil
            var remaining = object.count
            while remaining > 0 {
                let valueIndex = keyIndex &+ 1
                if keyMatches(tokens[keyIndex], wanted) {
                    found = valueIndex
                    if stopAtFirst { return found }
                }
                keyIndex = Int(tokens[valueIndex].next)
                remaining &-= 1
            }
            return found
        }

        @inline(__always)
        func keyMatches(_ key: Token, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
            if key.flags & Token.plainASCII != 0 {
                let count = Int(key.end &- key.start) &- 2
                guard count == wanted.count else { return false }
                guard count > 0, let other = wanted.baseAddress else { return true }
                let source = tape.text + (Int(key.start) &+ 1)
                // Keys of equal length mostly differ in their first byte.
                guard source.pointee == other.pointee else { return false }
                return count == 1 || memcmp(source + 1, other + 1, count &- 1) == 0
            }
            return tape.string(of: key).utf8.elementsEqual(wanted)
        }

        /// The first member (in `members` order) whose value satisfies `test`; only its key is decoded.
        public func firstMember(where test: (Value) -> Bool) -> (key: String, value: Value)? {
            let object = tape.tokens[index]
            guard object.flags & Token.repeatedKeys == 0 else { return members.first(where: { test($0.value) }) }
            var keyIndex = index &+ 1
            for _ in 0..<object.count {
                let value = Value(tape: tape, index: keyIndex &+ 1)
                if test(value) { return (tape.string(of: tape.tokens[keyIndex]), value) }
                keyIndex = Int(tape.tokens[keyIndex &+ 1].next)
            }
            return nil
        }

        /// Distinct keys (a repeated key counts once), like `JSONObject.count`.
        public var count: Int {
            let object = tape.tokens[index]
            guard object.flags & Token.repeatedKeys != 0 else { return Int(object.count) }
            return members.count
        }

        /// The members in the order `JSON.parse` keeps them: a repeated key at its first place with its
        /// last value.
        public var members: [(key: String, value: Value)] {
            let tokens = tape.tokens
            let object = tokens[index]
            var out: [(key: String, value: Value)] = []
            out.reserveCapacity(Int(object.count))
            var keyIndex = index &+ 1
            for _ in 0..<object.count {
                let key = tape.string(of: tokens[keyIndex])
                let value = Value(tape: tape, index: keyIndex &+ 1)
                if object.flags & Token.repeatedKeys != 0, let existing = out.firstIndex(where: { JSONObject.sameKey($0.key, key) }) {
                    out[existing].value = value
                } else {
                    out.append((key, value))
                }
                keyIndex = Int(tokens[keyIndex &+ 1].next)
            }
            return out
        }
    }
}
