import ESJSON

/// `ExternalSecretDataRemoteRef`: what `data[].remoteRef` and `dataFrom[].extract` point at.
public struct RemoteRef: Sendable, Hashable {
    public var key: String
    public var property: String
    public var version: String
    public var metadataPolicy: MetadataPolicy
    public var conversionStrategy: ConversionStrategy
    public var decodingStrategy: DecodingStrategy
    public var nullBytePolicy: NullBytePolicy

    public init(key: String, property: String = "", version: String = "", metadataPolicy: MetadataPolicy = .none,
                conversionStrategy: ConversionStrategy = .default, decodingStrategy: DecodingStrategy = .none,
                nullBytePolicy: NullBytePolicy = .ignore) {
        self.key = key
        self.property = property
        self.version = version
        self.metadataPolicy = metadataPolicy
        self.conversionStrategy = conversionStrategy
        self.decodingStrategy = decodingStrategy
        self.nullBytePolicy = nullBytePolicy
    }

    /// Reads the JSON object of a `remoteRef` / `extract`; absent fields take the code defaults
    /// (empty strategy strings mean Default/None/Ignore, as upstream treats them).
    public init(json: JSON) {
        self.init(
            key: json["key"]?.stringValue ?? "",
            property: json["property"]?.stringValue ?? "",
            version: json["version"]?.stringValue ?? "",
            metadataPolicy: MetadataPolicy(rawValue: json["metadataPolicy"]?.stringValue ?? "") ?? .none,
            conversionStrategy: ConversionStrategy(rawValue: json["conversionStrategy"]?.stringValue ?? ""),
            decodingStrategy: DecodingStrategy(rawValue: json["decodingStrategy"]?.stringValue ?? ""),
            nullBytePolicy: NullBytePolicy(rawValue: json["nullBytePolicy"]?.stringValue ?? ""))
    }
}

public enum MetadataPolicy: String, Sendable, Hashable {
    case none = "None"
    case fetch = "Fetch"

    public init?(rawValue: String) {
        switch rawValue {
        case "", "None": self = .none
        case "Fetch": self = .fetch
        default: return nil
        }
    }
}

/// Key sanitising for extract/find results.
public enum ConversionStrategy: Sendable, Hashable {
    case `default`
    case unicode
    /// A value the API does not know; kept so the error can name it.
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "", "Default": self = .default
        case "Unicode": self = .unicode
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .default: return "Default"
        case .unicode: return "Unicode"
        case .other(let s): return s
        }
    }
}

public enum DecodingStrategy: Sendable, Hashable {
    case none
    case base64
    case base64URL
    case auto
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "", "None": self = .none
        case "Base64": self = .base64
        case "Base64URL": self = .base64URL
        case "Auto": self = .auto
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .none: return "None"
        case .base64: return "Base64"
        case .base64URL: return "Base64URL"
        case .auto: return "Auto"
        case .other(let s): return s
        }
    }
}

public enum NullBytePolicy: Sendable, Hashable {
    case ignore
    case fail

    public init(rawValue: String) {
        self = rawValue == "Fail" ? .fail : .ignore
    }

    public var rawValue: String { self == .fail ? "Fail" : "Ignore" }
}
