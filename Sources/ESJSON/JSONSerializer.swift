/// How `JSON` is written out.
public struct JSONWriteOptions: Sendable {
    /// Sort object keys (Go's encoding of `map` values does).
    public var sortKeys = false
    /// Escape `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026` (Go's default HTML-safe output).
    public var escapeHTML = false
    /// Indent nested values by this string per level; `nil` writes compact JSON.
    public var indent: String? = nil

    public init(sortKeys: Bool = false, escapeHTML: Bool = false, indent: String? = nil) {
        self.sortKeys = sortKeys
        self.escapeHTML = escapeHTML
        self.indent = indent
    }

    public static let compact = JSONWriteOptions()
}

extension JSON {
    /// The value as UTF-8 JSON bytes.
    public func serialized(_ options: JSONWriteOptions = .compact) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, options: options, level: 0)
        return out
    }

    /// The value as a JSON string.
    public func serializedString(_ options: JSONWriteOptions = .compact) -> String {
        String(decoding: serialized(options), as: UTF8.self)
    }

    public func write(to out: inout [UInt8], options: JSONWriteOptions = .compact, level: Int = 0) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.text.utf8)
        case .string(let s): JSON.writeString(s, to: &out, escapeHTML: options.escapeHTML)
        case .array(let a):
            if a.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, options, level + 1)
                element.write(to: &out, options: options, level: level + 1)
            }
            newline(&out, options, level)
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            var first = true
            let members = options.sortKeys ? o.sortedByKey : Array(o)
            for (key, value) in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                newline(&out, options, level + 1)
                JSON.writeString(key, to: &out, escapeHTML: options.escapeHTML)
                out.append(UInt8(ascii: ":"))
                if options.indent != nil { out.append(UInt8(ascii: " ")) }
                value.write(to: &out, options: options, level: level + 1)
            }
            newline(&out, options, level)
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ out: inout [UInt8], _ options: JSONWriteOptions, _ level: Int) {
        guard let indent = options.indent else { return }
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<level { out.append(contentsOf: indent.utf8) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes `s` as a quoted JSON string.
    public static func writeString(_ s: String, to out: inout [UInt8], escapeHTML: Bool = false) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            var i = 0
            func flush() {
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
            }
            while i < bytes.count {
                let c = bytes[i]
                var escape: [UInt8]? = nil
                switch c {
                case UInt8(ascii: "\""): escape = [0x5C, 0x22]
                case UInt8(ascii: "\\"): escape = [0x5C, 0x5C]
                case 0x0A: escape = [0x5C, UInt8(ascii: "n")]
                case 0x0D: escape = [0x5C, UInt8(ascii: "r")]
                case 0x09: escape = [0x5C, UInt8(ascii: "t")]
                case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    if escapeHTML { escape = unicodeEscape(c) }
                case 0xE2:
                    // U+2028 and U+2029 (E2 80 A8 / E2 80 A9) are escaped, as Go does.
                    if i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                        flush()
                        out.append(contentsOf: "\\u202".utf8)
                        out.append(bytes[i + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                        i += 3
                        runStart = i
                        continue
                    }
                default:
                    if c < 0x20 { escape = unicodeEscape(c) }
                }
                if let escape {
                    flush()
                    out.append(contentsOf: escape)
                    i += 1
                    runStart = i
                } else {
                    i += 1
                }
            }
            flush()
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func unicodeEscape(_ c: UInt8) -> [UInt8] {
        [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(c >> 4)], hexDigits[Int(c & 0xF)]]
    }
}

extension JSON: CustomStringConvertible {
    public var description: String { serializedString() }
}
