/// Go's encoding/pem: `Decode` (with its skipping rules) and `Encode`.
struct PEMBlock: Sendable {
    var type: String
    var headers: [String: String]
    var bytes: [UInt8]
}

enum GoPEM {
    private static let pemStart = Array("\n-----BEGIN ".utf8)
    private static let pemEnd = Array("\n-----END ".utf8)
    private static let pemEndOfLine = Array("-----".utf8)

    private static func hasPrefix(_ d: ArraySlice<UInt8>, _ p: [UInt8]) -> Bool {
        d.count >= p.count && d.prefix(p.count).elementsEqual(p)
    }

    private static func index(of needle: [UInt8], in d: ArraySlice<UInt8>) -> Int? {
        guard d.count >= needle.count else { return nil }
        var i = d.startIndex
        while i + needle.count <= d.endIndex {
            if d[i] == needle[0] && d[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// `getLine`: the line without trailing spaces/tabs/CR, and the rest after the newline.
    private static func getLine(_ d: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        var line: ArraySlice<UInt8>
        var rest: ArraySlice<UInt8>
        if let nl = d.firstIndex(of: 0x0A) {
            line = d[d.startIndex..<nl]
            rest = d[(nl + 1)...]
        } else {
            line = d
            rest = d[d.endIndex...]
        }
        while let l = line.last, l == 0x20 || l == 0x09 || l == 0x0D { line = line.dropLast() }
        return (line, rest)
    }

    /// Decodes the next block; `nil` block with the whole input as rest when there is none.
    static func decode(_ data: ArraySlice<UInt8>) -> (PEMBlock?, ArraySlice<UInt8>) {
        var rest = data
        while true {
            if hasPrefix(rest, Array(pemStart.dropFirst())) {
                rest = rest.dropFirst(pemStart.count - 1)
            } else if let i = index(of: pemStart, in: rest) {
                rest = rest[(i + pemStart.count)...]
            } else {
                return (nil, data)
            }
            var typeLine: ArraySlice<UInt8>
            (typeLine, rest) = getLine(rest)
            guard typeLine.count >= 5, typeLine.suffix(5).elementsEqual(pemEndOfLine) else { continue }
            typeLine = typeLine.dropLast(5)
            var headers: [String: String] = [:]
            var noMoreData = false
            while true {
                if rest.isEmpty { noMoreData = true; break }
                let (line, next) = getLine(rest)
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { break }
                let key = String(decoding: line[line.startIndex..<colon], as: UTF8.self).trimmingSpaces
                let val = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
                headers[key] = val
                rest = next
            }
            if noMoreData { return (nil, data) }
            var endIndex: Int
            var endTrailerIndex: Int
            if headers.isEmpty && hasPrefix(rest, Array(pemEnd.dropFirst())) {
                endIndex = rest.startIndex
                endTrailerIndex = rest.startIndex + pemEnd.count - 1
            } else {
                guard let i = index(of: pemEnd, in: rest) else { continue }
                endIndex = i
                endTrailerIndex = i + pemEnd.count
            }
            var endTrailer = rest[endTrailerIndex...]
            let endTrailerLen = typeLine.count + pemEndOfLine.count
            guard endTrailer.count >= endTrailerLen else { continue }
            let restOfEndLine = endTrailer.dropFirst(endTrailerLen)
            endTrailer = endTrailer.prefix(endTrailerLen)
            guard endTrailer.prefix(typeLine.count).elementsEqual(typeLine),
                endTrailer.suffix(5).elementsEqual(pemEndOfLine)
            else { continue }
            guard getLine(restOfEndLine).0.isEmpty else { continue }
            let base64Data = rest[rest.startIndex..<endIndex].filter { $0 != 0x20 && $0 != 0x09 }
            guard let bytes = try? Base64.decode(String(decoding: base64Data, as: UTF8.self)) else { continue }
            let after = rest[(endIndex + pemEnd.count - 1)...]
            rest = getLine(after).1
            return (PEMBlock(type: String(decoding: typeLine, as: UTF8.self), headers: headers, bytes: bytes), rest)
        }
    }

    /// All blocks of `text`, in order, and the trailing rest.
    static func decodeAll(_ text: String) -> ([PEMBlock], ArraySlice<UInt8>) {
        var data = Array(text.utf8)[...]
        var blocks: [PEMBlock] = []
        while true {
            let (block, rest) = decode(data)
            data = rest
            guard let block else { break }
            blocks.append(block)
        }
        return (blocks, data)
    }

    /// `pem.EncodeToMemory`.
    static func encode(_ b: PEMBlock) -> String {
        var out = "-----BEGIN \(b.type)-----\n"
        if !b.headers.isEmpty {
            var keys = b.headers.keys.sorted()
            if let i = keys.firstIndex(of: "Proc-Type") { keys.remove(at: i); keys.insert("Proc-Type", at: 0) }
            for k in keys { out += "\(k): \(b.headers[k] ?? "")\n" }
            out += "\n"
        }
        let b64 = Array(Base64.encode(b.bytes).utf8)
        var i = 0
        while i < b64.count {
            out += String(decoding: b64[i..<min(i + 64, b64.count)], as: UTF8.self) + "\n"
            i += 64
        }
        return out + "-----END \(b.type)-----\n"
    }

    static func encode(type: String, der: [UInt8]) -> String { encode(PEMBlock(type: type, headers: [:], bytes: der)) }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
