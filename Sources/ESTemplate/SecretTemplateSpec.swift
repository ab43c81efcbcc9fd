import ESJSON

/// Where rendered values go (`templateFrom[].target`), compared case-insensitively like ESO.
public enum TemplateTarget: String, Sendable, Equatable {
    case data = "Data", annotations = "Annotations", labels = "Labels"

    public init(parsing text: String?) throws(TemplateApplyError) {
        switch (text ?? "Data").lowercased() {
        case "", "data": self = .data
        case "annotations": self = .annotations
        case "labels": self = .labels
        default: throw TemplateApplyError(message: "unsupported template target: \(text ?? "")")
        }
    }
}

/// How a templateFrom item's text is used: each key rendered as a value, or the rendered text
/// parsed as a YAML map of key/value pairs.
public enum TemplateScope: String, Sendable, Equatable {
    case values = "Values", keysAndValues = "KeysAndValues"
}

/// Decoding applied to templateFrom results after rendering.
public enum ValuesDecodingStrategy: String, Sendable, Equatable {
    case none = "None", base64 = "Base64", base64URL = "Base64URL", auto = "Auto"
}

public struct TemplateFromItem: Sendable, Equatable {
    public var key: String
    public var templateAs: TemplateScope
    public init(key: String, templateAs: TemplateScope = .values) { self.key = key; self.templateAs = templateAs }
}

/// One `spec.target.template.templateFrom[]` entry.
public struct TemplateFrom: Sendable, Equatable {
    public var target: TemplateTarget
    public var configMap: (name: String, items: [TemplateFromItem])?
    public var secret: (name: String, items: [TemplateFromItem])?
    public var literal: String?
    public var valuesDecodingStrategy: ValuesDecodingStrategy

    public init(target: TemplateTarget = .data, configMap: (name: String, items: [TemplateFromItem])? = nil,
                secret: (name: String, items: [TemplateFromItem])? = nil, literal: String? = nil,
                valuesDecodingStrategy: ValuesDecodingStrategy = .none) {
        self.target = target
        self.configMap = configMap
        self.secret = secret
        self.literal = literal
        self.valuesDecodingStrategy = valuesDecodingStrategy
    }

    public static func == (a: TemplateFrom, b: TemplateFrom) -> Bool {
        a.target == b.target && a.literal == b.literal && a.valuesDecodingStrategy == b.valuesDecodingStrategy
            && a.configMap?.name == b.configMap?.name && a.configMap?.items == b.configMap?.items
            && a.secret?.name == b.secret?.name && a.secret?.items == b.secret?.items
    }
}

/// `spec.target.template` of an ExternalSecret.
public struct SecretTemplateSpec: Sendable, Equatable {
    public enum MergePolicy: String, Sendable { case replace = "Replace", merge = "Merge" }

    public var engineVersion: String
    public var type: String?
    public var mergePolicy: MergePolicy
    /// `metadata.labels` / `metadata.annotations`: values are templates.
    public var labels: [String: String]
    public var annotations: [String: String]
    public var finalizers: [String]
    /// `data`: key → template.
    public var data: [String: String]
    public var templateFrom: [TemplateFrom]

    public init(engineVersion: String = "v2", type: String? = nil, mergePolicy: MergePolicy = .replace,
                labels: [String: String] = [:], annotations: [String: String] = [:], finalizers: [String] = [],
                data: [String: String] = [:], templateFrom: [TemplateFrom] = []) {
        self.engineVersion = engineVersion
        self.type = type
        self.mergePolicy = mergePolicy
        self.labels = labels
        self.annotations = annotations
        self.finalizers = finalizers
        self.data = data
        self.templateFrom = templateFrom
    }

    /// Reads the JSON of `spec.target.template`.
    public init(json: JSON) throws(TemplateApplyError) {
        func strings(_ j: JSON?) -> [String: String] {
            var m: [String: String] = [:]
            for (k, v) in j?.objectValue ?? JSONObject() { m[k] = v.stringValue ?? v.serializedString() }
            return m
        }
        func items(_ j: JSON?) throws(TemplateApplyError) -> [TemplateFromItem] {
            var out: [TemplateFromItem] = []
            for item in j?.arrayValue ?? [] {
                guard let key = item["key"]?.stringValue else { throw TemplateApplyError(message: "templateFrom item without key") }
                let scopeText = item["templateAs"]?.stringValue ?? "Values"
                guard let scope = TemplateScope(rawValue: scopeText) else {
                    throw TemplateApplyError(message: "unsupported templateAs: \(scopeText)")
                }
                out.append(TemplateFromItem(key: key, templateAs: scope))
            }
            return out
        }
        self.init()
        engineVersion = json["engineVersion"]?.stringValue ?? "v2"
        type = json["type"]?.stringValue
        if let mp = json["mergePolicy"]?.stringValue {
            guard let p = MergePolicy(rawValue: mp) else { throw TemplateApplyError(message: "unsupported mergePolicy: \(mp)") }
            mergePolicy = p
        }
        labels = strings(json["metadata"]?["labels"])
        annotations = strings(json["metadata"]?["annotations"])
        finalizers = (json["metadata"]?["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
        data = strings(json["data"])
        for entry in json["templateFrom"]?.arrayValue ?? [] {
            var from = TemplateFrom(target: try TemplateTarget(parsing: entry["target"]?.stringValue))
            if let cm = entry["configMap"] {
                from.configMap = (cm["name"]?.stringValue ?? "", try items(cm["items"]))
            }
            if let s = entry["secret"] {
                from.secret = (s["name"]?.stringValue ?? "", try items(s["items"]))
            }
            from.literal = entry["literal"]?.stringValue
            if let strategy = entry["valuesDecodingStrategy"]?.stringValue {
                guard let s = ValuesDecodingStrategy(rawValue: strategy) else {
                    throw TemplateApplyError(message: "unsupported valuesDecodingStrategy: \(strategy)")
                }
                from.valuesDecodingStrategy = s
            }
            templateFrom.append(from)
        }
    }

    /// Names of the ConfigMaps and Secrets `templateFrom` reads (for the caller to fetch).
    public var referencedConfigMaps: [String] { templateFrom.compactMap { $0.configMap?.name } }
    public var referencedSecrets: [String] { templateFrom.compactMap { $0.secret?.name } }
}

/// The Secret fields a template writes.
public struct RenderedSecret: Sendable, Equatable {
    public var type: String?
    public var data: [String: [UInt8]]
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(type: String? = nil, data: [String: [UInt8]] = [:], labels: [String: String] = [:],
                annotations: [String: String] = [:]) {
        self.type = type
        self.data = data
        self.labels = labels
        self.annotations = annotations
    }
}

/// The ConfigMaps and Secrets templateFrom may read, already fetched from the ExternalSecret's namespace.
public struct TemplateSources: Sendable {
    public var configMaps: [String: [String: String]]
    public var secrets: [String: [String: [UInt8]]]
    public init(configMaps: [String: [String: String]] = [:], secrets: [String: [String: [UInt8]]] = [:]) {
        self.configMaps = configMaps
        self.secrets = secrets
    }
}

/// A template application failure; `description` carries ESO's wrapped message.
public struct TemplateApplyError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    /// True when a referenced ConfigMap/Secret does not exist (an API NotFound in ESO).
    public var isSourceNotFound: Bool
    public init(message: String, isSourceNotFound: Bool = false) {
        self.message = message
        self.isSourceNotFound = isSourceNotFound
    }
    public var description: String { message }
}
