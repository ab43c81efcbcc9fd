import ESJSON

/// Splits a chunked watch body into lines (one JSON event each). Decoding is separate
/// (`decode(_:)`) so it runs in the task that consumes the events, not on the transfer thread, and
/// events waiting for a slow consumer wait as their compact text, not as parsed trees.
struct WatchLineDecoder {
    private var buffer: [UInt8] = []
    /// The first bytes of the body until an event line shows up: a non-event body (an error Status),
    /// kept for the error message.
    private(set) var rawPrefix: [UInt8] = []
    private var sawEvent = false
    static let eventStart = Array(#"{"type":"#.utf8)

    enum Item {
        case event(WatchEvent)
        case error(KubeError)
    }

    /// The complete lines in the body so far (blank lines dropped).
    mutating func feed(_ chunk: [UInt8]) -> [[UInt8]] {
        if !sawEvent, rawPrefix.count < 65_536 { rawPrefix += chunk.prefix(65_536 - rawPrefix.count) }
        buffer += chunk
        var lines: [[UInt8]] = []
        var start = 0
        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = buffer[start..<newline]
            start = newline + 1
            if Self.isBlank(line) { continue }
            if !sawEvent, line.starts(with: Self.eventStart) {
                sawEvent = true
                rawPrefix = []
            }
            lines.append(Array(line))
        }
        if start > 0 { buffer.removeFirst(start) }
        if buffer.count > 64 << 20 { buffer.removeAll() }  // a single event can't be this large
        return lines
    }

    /// A trailing line without newline when the stream ends.
    mutating func finish() -> [[UInt8]] {
        defer { buffer.removeAll() }
        return Self.isBlank(buffer[...]) ? [] : [buffer]
    }

    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        !line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") })
    }

    /// One line as an event or an ERROR event's Status; nil for anything else (skipped).
    static func decode(_ line: [UInt8]) -> Item? {
        guard let json = try? JSON.parse(line), let typeName = json["type"]?.stringValue, let object = json["object"]
        else { return nil }
        if typeName == "ERROR" { return .error(KubeError(status: object)) }
        guard let type = WatchEvent.EventType(rawValue: typeName) else { return nil }
        return .event(WatchEvent(type: type, object: object))
    }
}

/// The consumer side of one watch: pulls raw lines and decodes them into events, one at a time. An
/// ERROR event ends the watch with its `KubeError`.
final class WatchLines: @unchecked Sendable {
    // Only touched from `nextEvent`, which `AsyncThrowingStream(unfolding:)` calls one at a time.
    private var iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
    private var ended = false

    init(_ iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator) { self.iterator = iterator }

    func nextEvent() async throws -> WatchEvent? {
        guard !ended else { return nil }
        while let line = try await iterator.next() {
            switch WatchLineDecoder.decode(line) {
            case .event(let event)?:
                return event
            case .error(let error)?:
                ended = true
                throw error
            case nil:
                continue
            }
        }
        ended = true
        return nil
    }
}
