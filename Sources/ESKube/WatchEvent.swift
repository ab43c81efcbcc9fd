import ESJSON

/// One event from a watch stream.
public struct WatchEvent: Sendable {
    public enum EventType: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
    }

    public var type: EventType
    public var object: JSON

    public init(type: EventType, object: JSON) {
        self.type = type
        self.object = object
    }

    public var resourceVersion: String? { object[path: ["metadata", "resourceVersion"]]?.stringValue }
}
