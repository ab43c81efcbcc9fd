import ESJSON

/// Splits a chunked watch body into JSON lines and decodes them.
struct WatchLineDecoder {
    private var buffer: [UInt8] = []
    /// Bytes of a non-event body (an error Status), kept for the error message.
    private(set) var rawPrefix: [UInt8] = []
    private(set) var sawEvent = false

    enum Item {
        case event(WatchEvent)
        case error(KubeError)
    }

    mutating func feed(_ chunk: [UInt8]) -> [Item] {
        if !sawEvent, rawPrefix.count < 65_536 { rawPrefix += chunk.prefix(65_536 - rawPrefix.count) }
        buffer += chunk
        var items: [Item] = []
        var start = 0
        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(buffer[start..<newline])
            start = newline + 1
            if let item = decode(line) { items.append(item) }
        }
        if start > 0 { buffer.removeFirst(start) }
        if buffer.count > 64 << 20 { buffer.removeAll() }  // a single event can't be this large
        return items
    }

    /// A trailing line without newline when the stream ends.
    mutating func finish() -> [Item] {
        defer { buffer.removeAll() }
        return buffer.isEmpty ? [] : decode(buffer).map { [$0] } ?? []
    }

    private mutating func decode(_ line: [UInt8]) -> Item? {
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }),
              let json = try? JSON.parse(line), let typeName = json["type"]?.stringValue, let object = json["object"]
        else { return nil }
        sawEvent = true
        if typeName == "ERROR" { return .error(KubeError(status: object)) }
        guard let type = WatchEvent.EventType(rawValue: typeName) else { return nil }
        return .event(WatchEvent(type: type, object: object))
    }
}
