import ESJSON
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler writing one line per event as JSON or text. Request bodies are never passed
/// to loggers by this project; the handler writes only the message and metadata it is given.
public struct StructuredLogHandler: LogHandler {
    public let label: String
    public let format: LogFormat
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: LogSink

    public init(label: String, format: LogFormat = .json, level: Logger.Level = .info, sink: LogSink = .standardError,
                metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line: [UInt8]
        switch format {
        case .json: line = jsonLine(level: event.level, message: event.message.description, metadata: merged)
        case .text: line = textLine(level: event.level, message: event.message.description, metadata: merged)
        }
        sink.write(line: line)
    }

    private func jsonLine(level: Logger.Level, message: String, metadata: Logger.Metadata) -> [UInt8] {
        var object = JSONObject(minimumCapacity: 4 + metadata.count)
        object["ts"] = .string(Timestamp.rfc3339Now())
        object["level"] = .string(level.rawValue)
        object["logger"] = .string(label)
        object["msg"] = .string(message)
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            let name = object[key] == nil ? key : "metadata." + key
            object[name] = Self.json(value)
        }
        var line = JSON.object(object).serialized()
        line.append(UInt8(ascii: "\n"))
        return line
    }

    private func textLine(level: Logger.Level, message: String, metadata: Logger.Metadata) -> [UInt8] {
        var text = "\(Timestamp.rfc3339Now()) \(level.rawValue.uppercased()) \(label): \(message)"
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            text += " \(key)=\(Self.text(value))"
        }
        text += "\n"
        return Array(text.utf8)
    }

    static func json(_ value: Logger.Metadata.Value) -> JSON {
        switch value {
        case .string(let s): return .string(s)
        case .stringConvertible(let c): return .string(c.description)
        case .array(let items): return .array(items.map(json))
        case .dictionary(let entries):
            var object = JSONObject()
            for key in entries.keys.sorted() { if let v = entries[key] { object[key] = json(v) } }
            return .object(object)
        }
    }

    static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return s.contains(" ") || s.isEmpty ? JSON.string(s).serializedString() : s
        case .stringConvertible(let c): return text(.string(c.description))
        case .array, .dictionary: return json(value).serializedString()
        }
    }
}

/// UTC timestamps with millisecond precision, e.g. `2026-11-23T05:36:28.123Z`.
enum Timestamp {
    static func rfc3339Now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = now.tv_nsec / 1_000_000
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad3(millis))Z"
    }

    private static func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private static func pad3(_ value: Int) -> String { value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)" }
}
