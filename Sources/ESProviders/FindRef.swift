import ESJSON

/// `ExternalSecretFind`: `dataFrom[].find`.
public struct FindRef: Sendable, Hashable {
    public var path: String?
    /// `name.regexp`: a Go RE2 expression matched (unanchored) against secret names.
    public var nameRegexp: String?
    public var tags: [String: String]
    public var conversionStrategy: ConversionStrategy
    public var decodingStrategy: DecodingStrategy
    public var nullBytePolicy: NullBytePolicy

    public init(path: String? = nil, nameRegexp: String? = nil, tags: [String: String] = [:],
                conversionStrategy: ConversionStrategy = .default, decodingStrategy: DecodingStrategy = .none,
                nullBytePolicy: NullBytePolicy = .ignore) {
        self.path = path
        self.nameRegexp = nameRegexp
        self.tags = tags
        self.conversionStrategy = conversionStrategy
        self.decodingStrategy = decodingStrategy
        self.nullBytePolicy = nullBytePolicy
    }

    public init(json: JSON) {
        var tags: [String: String] = [:]
        for (k, v) in json["tags"]?.objectValue ?? JSONObject() {
            if let s = v.stringValue { tags[k] = s }
        }
        self.init(
            path: json["path"]?.stringValue,
            nameRegexp: json["name"]?["regexp"]?.stringValue,
            tags: tags,
            conversionStrategy: ConversionStrategy(rawValue: json["conversionStrategy"]?.stringValue ?? ""),
            decodingStrategy: DecodingStrategy(rawValue: json["decodingStrategy"]?.stringValue ?? ""),
            nullBytePolicy: NullBytePolicy(rawValue: json["nullBytePolicy"]?.stringValue ?? ""))
    }
}
