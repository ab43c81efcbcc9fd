import ESJSON

/// The parts of `metadata` that validation, defaulting and the controller read.
public struct ObjectMeta: Sendable, Equatable {
    public var name: String
    public var generateName: String
    public var namespace: String
    public var uid: String
    public var resourceVersion: String
    public var generation: Int64
    public var labels: [String: String]
    public var annotations: [String: String]
    public var finalizers: [String]
    public var deletionTimestamp: String?
    public var creationTimestamp: String?

    public init(name: String = "", namespace: String = "") {
        self.name = name
        self.generateName = ""
        self.namespace = namespace
        self.uid = ""
        self.resourceVersion = ""
        self.generation = 0
        self.labels = [:]
        self.annotations = [:]
        self.finalizers = []
        self.deletionTimestamp = nil
        self.creationTimestamp = nil
    }

    /// Decodes `metadata` of `root` (absent ⇒ empty).
    static func decode(from root: FieldDecoder) throws(APIDecodingError) -> ObjectMeta {
        var meta = ObjectMeta()
        guard let d = try root.nested("metadata", goStruct: "ObjectMeta", package: "v1") else { return meta }
        meta.name = try d.string("name") ?? ""
        meta.generateName = try d.string("generateName") ?? ""
        meta.namespace = try d.string("namespace") ?? ""
        meta.uid = try d.string("uid") ?? ""
        meta.resourceVersion = try d.string("resourceVersion") ?? ""
        meta.generation = try d.integer("generation", goType: "int64") ?? 0
        meta.labels = try Self.dictionary(d.stringMap("labels"))
        meta.annotations = try Self.dictionary(d.stringMap("annotations"))
        meta.finalizers = try d.stringArray("finalizers") ?? []
        meta.deletionTimestamp = try d.string("deletionTimestamp")
        meta.creationTimestamp = try d.string("creationTimestamp")
        return meta
    }

    /// A decoded `map[string]string` as a dictionary (a key written twice keeps its last value).
    private static func dictionary(_ pairs: [(key: String, value: String)]?) -> [String: String] {
        guard let pairs, !pairs.isEmpty else { return [:] }
        var dictionary = [String: String](minimumCapacity: pairs.count)
        for (key, value) in pairs { dictionary[key] = value }
        return dictionary
    }
}

/// `apiVersion`/`kind` of an object and the served version they name.
struct TypeHeader {
    var apiVersion: String
    var kind: String

    static func decode(from root: FieldDecoder) throws(APIDecodingError) -> TypeHeader {
        TypeHeader(apiVersion: try root.string("apiVersion") ?? "", kind: try root.string("kind") ?? "")
    }
}
