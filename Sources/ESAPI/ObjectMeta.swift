import ESJSON

/// The parts of `metadata` that validation, defaulting and the controller read.
public struct ObjectMeta: Sendable, Equatable {
    public var name: String
    public var generateName: String
    public var namespace: String
    public var uid: String
    public var resourceVersion: String
    public var generation: Int64
    public var labels: [String: String] {
        get { labelsSource.dictionary }
        set { labelsSource = .decoded(newValue) }
    }
    public var annotations: [String: String] {
        get { annotationsSource.dictionary }
        set { annotationsSource = .decoded(newValue) }
    }
    // Kept as checked document objects until read: validation never reads them, and annotations
    // carry kubectl's whole last-applied-configuration.
    private var labelsSource: StringMapSource
    private var annotationsSource: StringMapSource
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
        self.labelsSource = .decoded([:])
        self.annotationsSource = .decoded([:])
        self.finalizers = []
        self.deletionTimestamp = nil
        self.creationTimestamp = nil
    }

    /// Decodes `metadata` of `root` (absent ⇒ empty). With `lazyMaps`, labels and annotations are checked
    /// now and built when read, holding on to the document: only for a caller that keeps it anyway (an
    /// object decoded from a request body); otherwise a small decoded object would pin a whole document.
    static func decode(from root: FieldDecoder, lazyMaps: Bool = false) throws(APIDecodingError) -> ObjectMeta {
        var meta = ObjectMeta()
        guard let d = try root.nested("metadata", goStruct: "ObjectMeta", package: "v1") else { return meta }
        meta.name = try d.string("name") ?? ""
        meta.generateName = try d.string("generateName") ?? ""
        meta.namespace = try d.string("namespace") ?? ""
        meta.uid = try d.string("uid") ?? ""
        meta.resourceVersion = try d.string("resourceVersion") ?? ""
        meta.generation = try d.integer("generation", goType: "int64") ?? 0
        if lazyMaps {
            meta.labelsSource = try d.checkedStringMap("labels").map(StringMapSource.document) ?? .decoded([:])
            meta.annotationsSource = try d.checkedStringMap("annotations").map(StringMapSource.document) ?? .decoded([:])
        } else {
            meta.labelsSource = .decoded(try StringMapSource.dictionary(d.stringMap("labels")))
            meta.annotationsSource = .decoded(try StringMapSource.dictionary(d.stringMap("annotations")))
        }
        meta.finalizers = try d.stringArray("finalizers") ?? []
        meta.deletionTimestamp = try d.string("deletionTimestamp")
        meta.creationTimestamp = try d.string("creationTimestamp")
        return meta
    }
}

/// A `map[string]string` of metadata: decoded, or a checked object of the document it came from.
enum StringMapSource: Sendable, Equatable {
    case decoded([String: String])
    case document(JSONTape.Object)

    /// The map (a key written twice keeps its last value; `null` reads as "").
    var dictionary: [String: String] {
        switch self {
        case .decoded(let dictionary): return dictionary
        case .document(let object):
            var dictionary = [String: String](minimumCapacity: object.count)
            for (key, value) in object.members { dictionary[key] = value.stringValue ?? "" }
            return dictionary
        }
    }

    static func == (lhs: StringMapSource, rhs: StringMapSource) -> Bool { lhs.dictionary == rhs.dictionary }

    /// Decoded pairs as a map (a key written twice keeps its last value).
    static func dictionary(_ pairs: [(key: String, value: String)]?) -> [String: String] {
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
