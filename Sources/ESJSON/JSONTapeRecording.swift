#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parse behind `JSONTape.parse`: the skipping parse's checks (same walkers, same messages), with a
/// token recorded for every value and key instead of nothing built.
extension JSONParser {
    mutating func recordValue() throws(JSONParseError) {
        guard position < bytes.count else { throw endOfInput() }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "{"): try recordObject()
        case UInt8(ascii: "["): try recordArray()
        case UInt8(ascii: "\""): try recordString(isKey: false)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            recordScalar(.bool, from: start, count: 1)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            recordScalar(.bool, from: start, count: 0)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            recordScalar(.null, from: start, count: 0)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
            recordScalar(.number, from: start, count: 0)
        case let c: throw error("invalid character \(quoteChar(c)) looking for beginning of value")
        }
    }

    /// `recordValue` indexing only what `selection` names: an object's other members that are
    /// objects or arrays are checked and recorded as one unindexed token (indexed if ever read).
    mutating func recordValue(selecting selection: JSONTape.Selection) throws(JSONParseError) {
        guard case .members(let wanted) = selection, position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
            return try recordValue()
        }
        try recordObject(selecting: wanted)
    }

    /// The value of an object member under a selection: indexed as `wanted` says if named there, else
    /// (an object or array) checked and recorded as one unindexed token.
    mutating func recordMember(key: JSONTape.Token, selecting wanted: KeyValuePairs<String, JSONTape.Selection>) throws(JSONParseError) {
        if let wantedIndex = wanted.firstIndex(where: { keyEquals(key, $0.key) }) {
            return try recordValue(selecting: wanted[wantedIndex].value)
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") || bytes[position] == UInt8(ascii: "[") else {
            return try recordValue()
        }
        let start = position
        let kind: JSONTape.Kind = bytes[start] == UInt8(ascii: "{") ? .object : .array
        try skipContainer()
        recordScalar(kind, from: start, count: 0, flags: JSONTape.Token.unindexed)
    }

    /// Whether the recorded key `key` is `name`.
    func keyEquals(_ key: JSONTape.Token, _ name: String) -> Bool {
        if key.flags & JSONTape.Token.plainASCII != 0 {
            let count = Int(key.end &- key.start) &- 2
            guard count == name.utf8.count, let base = bytes.baseAddress else { return false }
            return name.utf8.elementsEqual(UnsafeBufferPointer(start: base + (Int(key.start) &+ 1), count: count))
        }
        var parser = JSONParser(bytes)
        parser.position = Int(key.start)
        return (try? parser.parseString()) == name
    }

    @inline(__always)
    mutating func recordScalar(_ kind: JSONTape.Kind, from start: Int, count: UInt32, flags: UInt8 = 0) {
        let next = UInt32(truncatingIfNeeded: tape.count &+ 1)
        tape.push(JSONTape.Token(start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: position),
                                   next: next, count: count, kind: kind, flags: flags))
    }

    /// A string; keys are also measured for plain ASCII (their bytes then compare as they are).
    mutating func recordString(isKey: Bool) throws(JSONParseError) {
        let start = position
        var flags: UInt8 = 0
        if try skipString() {
            flags = JSONTape.Token.escaped
        } else if isKey, isASCII(from: start &+ 1, to: position &- 1) {
            flags = JSONTape.Token.plainASCII
        }
        recordScalar(.string, from: start, count: 0, flags: flags)
    }

    mutating func recordArray() throws(JSONParseError) {
        let arrayIndex = tape.count
        recordScalar(.array, from: position, count: 0)
        var count: UInt32 = 0
        try walkArray { parser throws(JSONParseError) in
            try parser.recordValue()
            count &+= 1
        }
        close(arrayIndex, count: count, flags: 0)
    }

    /// An object; with `wanted`, only the members it names are indexed (see `recordMember`).
    mutating func recordObject(selecting wanted: KeyValuePairs<String, JSONTape.Selection>? = nil) throws(JSONParseError) {
        let objectIndex = tape.count
        recordScalar(.object, from: position, count: 0)
        var count: UInt32 = 0
        // The same one-bit-per-key filter as `parseObject`: keys are compared only when their bit was
        // already set, and only until the first repeat is found.
        var keyBits: UInt64 = 0
        var repeated = false
        try walkObject { parser throws(JSONParseError) in
            let keyIndex = parser.tape.count
            try parser.recordKey(at: keyIndex, inObjectAt: objectIndex, keyBits: &keyBits, repeated: &repeated)
            try parser.passColon()
            if let wanted {
                try parser.recordMember(key: parser.tape[keyIndex], selecting: wanted)
            } else {
                try parser.recordValue()
            }
            count &+= 1
        }
        close(objectIndex, count: count, flags: repeated ? JSONTape.Token.repeatedKeys : 0)
    }

    /// Records an object's key (at token `keyIndex`) and notes whether it repeats an earlier one.
    @inline(__always)
    mutating func recordKey(at keyIndex: Int, inObjectAt objectIndex: Int, keyBits: inout UInt64, repeated: inout Bool) throws(JSONParseError) {
        let keyStart = position
        try recordString(isKey: true)
        guard !repeated else { return }
        let bit: UInt64
        if tape[keyIndex].flags & JSONTape.Token.plainASCII != 0 {
            bit = Self.keyBit(length: position &- keyStart &- 2, last: bytes[position &- 2])
        } else {
            bit = UInt64.max
        }
        if keyBits & bit != 0, keyRepeats(at: keyIndex, inObjectAt: objectIndex) { repeated = true }
        keyBits |= bit
    }

    /// Completes a container's token once its last member or element is recorded.
    @inline(__always)
    mutating func close(_ index: Int, count: UInt32, flags: UInt8) {
        tape[index].end = UInt32(truncatingIfNeeded: position)
        tape[index].next = UInt32(truncatingIfNeeded: tape.count)
        tape[index].count = count
        tape[index].flags = flags
    }

    /// Whether the key recorded at `keyIndex` equals (decoded) an earlier key of the object at `objectIndex`.
    mutating func keyRepeats(at keyIndex: Int, inObjectAt objectIndex: Int) -> Bool {
        let key = tape[keyIndex]
        var decodedKey: String? = nil
        var other = objectIndex &+ 1
        while other < keyIndex {
            let earlier = tape[other]
            if key.flags & earlier.flags & JSONTape.Token.plainASCII != 0 {
                // Both spelled as they are: equal exactly when their bytes are.
                if sameBytes(key, earlier) { return true }
            } else {
                if decodedKey == nil { decodedKey = decodedString(at: Int(key.start)) }
                if let decodedKey, JSONObject.sameKey(decodedString(at: Int(earlier.start)), decodedKey) { return true }
            }
            other = Int(tape[other &+ 1].next)
        }
        return false
    }

    private func sameBytes(_ a: JSONTape.Token, _ b: JSONTape.Token) -> Bool {
        let count = Int(a.end &- a.start)
        guard count == Int(b.end &- b.start), let base = bytes.baseAddress else { return false }
        return memcmp(base + Int(a.start), base + Int(b.start), count) == 0
    }

    /// The string whose opening quote is at `offset` (already checked), decoded.
    private func decodedString(at offset: Int) -> String {
        var parser = JSONParser(bytes)
        parser.position = offset
        return (try? parser.parseString()) ?? ""
    }
}
