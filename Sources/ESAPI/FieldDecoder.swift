import ESJSON

/// Reads one JSON object the way Go's `encoding/json` fills a struct: absent and `null` members are
/// "not set", a member of the wrong JSON type is an error naming the Go struct, the field path and
/// the Go type, and unknown members are ignored (they stay in the caller's JSON).
///
/// It reads an indexed document (`JSONTape`): only the members a decoder asks for are decoded, and
/// no tree of the object is built. A caller holding a `JSON` tree gets it indexed first.
public struct FieldDecoder: Sendable {
    /// The object's members.
    public let object: JSONTape.Object
    /// Where this object is (`spec.data[2]`); the root is `FieldPath.root`.
    public let fieldPath: FieldPath
    /// `fieldPath` spelled out, with list indices (`spec.data[2]`), `""` at the root.
    public var path: String { fieldPath.description }
    /// Unqualified Go struct name (`ExternalSecretData`).
    let goStruct: String
    /// Go package of the API version being decoded (`v1`, `v1beta1`).
    public let package: String

    /// The root object; anything but a JSON object fails like Go (`... into Go value of type v1.ExternalSecret`).
    public init(root: JSON, goStruct: String, package: String) throws(APIDecodingError) {
        try self.init(root: JSONTape.indexing(root).root, goStruct: goStruct, package: package)
    }

    /// The root object of an indexed document.
    public init(root: JSONTape.Value, goStruct: String, package: String) throws(APIDecodingError) {
        guard let object = root.objectValue else {
            throw APIDecodingError(
                path: "",
                message: "json: cannot unmarshal \(root.kindName) into Go value of type \(package).\(goStruct)")
        }
        self.init(object: object, fieldPath: .root, goStruct: goStruct, package: package)
    }

    init(object: JSONTape.Object, fieldPath: FieldPath, goStruct: String, package: String) {
        self.object = object
        self.fieldPath = fieldPath
        self.goStruct = goStruct
        self.package = package
    }

    /// Members written (a repeated key counts once).
    public var memberCount: Int { object.count }

    // MARK: - Paths and errors

    public func childPath(_ key: String) -> String { fieldPath.child(key).description }

    func elementPath(_ key: String, _ index: Int) -> String { fieldPath.element(key, index).description }

    /// The path as Go reports it in type errors: JSON names without list indices (`spec.data`).
    func childGoPath(_ key: String) -> String { fieldPath.child(key).goDescription }

    /// Go's `UnmarshalTypeError` for member `key` holding `value` where `goType` was expected.
    public func typeError(_ key: String, _ value: JSON, goType: String, path: String? = nil) -> APIDecodingError {
        typeError(key, kindName: value.kindName, numberText: value.numberValue?.text, goType: goType, path: path)
    }

    func typeError(_ key: String, _ value: JSONTape.Value, goType: String, path: String? = nil) -> APIDecodingError {
        typeError(key, kindName: value.kindName, numberText: value.numberValue?.text, goType: goType, path: path)
    }

    private func typeError(_ key: String, kindName: String, numberText: String?, goType: String, path: String?) -> APIDecodingError {
        var kind = kindName
        if let numberText, goType.hasPrefix("int") || goType.hasPrefix("uint") { kind = "number \(numberText)" }
        return APIDecodingError(
            path: path ?? childPath(key),
            message: "json: cannot unmarshal \(kind) into Go struct field \(goStruct).\(childGoPath(key)) of type \(goType)")
    }

    /// The member as a JSON tree, `nil` when absent or `null`.
    public func raw(_ key: String) -> JSON? { member(key)?.json }

    /// The member, `nil` when absent or `null`.
    func member(_ key: String) -> JSONTape.Value? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    /// True when the member is present and not `null`.
    public func has(_ key: String) -> Bool { member(key) != nil }

    // MARK: - Scalars

    public func string(_ key: String) throws(APIDecodingError) -> String? {
        guard let v = member(key) else { return nil }
        guard let s = v.stringValue else { throw typeError(key, v, goType: "string") }
        return s
    }

    public func bool(_ key: String) throws(APIDecodingError) -> Bool? {
        guard let v = member(key) else { return nil }
        guard let b = v.boolValue else { throw typeError(key, v, goType: "bool") }
        return b
    }

    /// A Go integer field of `goType` (`int`, `int32`, `int64`): JSON number without fraction, in range.
    public func integer(_ key: String, goType: String = "int") throws(APIDecodingError) -> Int64? {
        guard let v = member(key) else { return nil }
        guard let n = v.numberValue, n.isInteger, let i = Int64(n.text) else { throw typeError(key, v, goType: goType) }
        if goType == "int32", i < Int64(Int32.min) || i > Int64(Int32.max) { throw typeError(key, v, goType: goType) }
        return i
    }

    /// A `[]byte` field: Go expects a base64 string.
    public func bytes(_ key: String) throws(APIDecodingError) -> String? {
        guard let v = member(key) else { return nil }
        guard let s = v.stringValue else { throw typeError(key, v, goType: "[]uint8") }
        return s
    }

    /// A `*metav1.Duration` field: a string Go's `time.ParseDuration` accepts.
    public func duration(_ key: String) throws(APIDecodingError) -> DurationValue? {
        guard let v = member(key) else { return nil }
        guard let s = v.stringValue else {
            // metav1.Duration.UnmarshalJSON unmarshals into a string first.
            throw APIDecodingError(path: childPath(key), message: "json: cannot unmarshal \(v.kindName) into Go value of type string")
        }
        do {
            return DurationValue(text: s, nanoseconds: try GoDuration.parseNanoseconds(s))
        } catch {
            throw APIDecodingError(path: childPath(key), message: error.description)
        }
    }

    // MARK: - Collections

    public func stringArray(_ key: String) throws(APIDecodingError) -> [String]? {
        guard let v = member(key) else { return nil }
        guard let items = v.elements else { throw typeError(key, v, goType: "[]string") }
        var out: [String] = []
        out.reserveCapacity(items.underestimatedCount)
        for (i, item) in items.enumerated() {
            if let s = item.stringValue {
                out.append(s)
            } else if item.isNull {
                out.append("")
            } else {
                throw typeError(key, item, goType: "string", path: elementPath(key, i))
            }
        }
        return out
    }

    /// A `map[string]string`, in the order written.
    public func stringMap(_ key: String) throws(APIDecodingError) -> [(key: String, value: String)]? {
        guard let v = member(key) else { return nil }
        guard let members = v.objectValue else { throw typeError(key, v, goType: "map[string]string") }
        var out: [(key: String, value: String)] = []
        for (k, item) in members.members {
            if let s = item.stringValue {
                out.append((k, s))
            } else if item.isNull {
                out.append((k, ""))
            } else {
                throw typeError(key, item, goType: "string", path: "\(childPath(key)).\(k)")
            }
        }
        return out
    }

    /// A `map[string]string` checked now (the same errors as `stringMap`) and decoded only when read:
    /// its object, `nil` when absent or `null`.
    public func checkedStringMap(_ key: String) throws(APIDecodingError) -> JSONTape.Object? {
        guard let v = member(key) else { return nil }
        guard let members = v.objectValue else { throw typeError(key, v, goType: "map[string]string") }
        if let (k, item) = members.firstMember(where: { !$0.isString && !$0.isNull }) {
            throw typeError(key, item, goType: "string", path: "\(childPath(key)).\(k)")
        }
        return members
    }

    /// A nested struct (pointer or value field); `nil` when absent or `null`.
    public func nested(_ key: String, goStruct: String, package: String? = nil) throws(APIDecodingError) -> FieldDecoder? {
        guard let v = member(key) else { return nil }
        let pkg = package ?? self.package
        guard let members = v.objectValue else { throw typeError(key, v, goType: "\(pkg).\(goStruct)") }
        return FieldDecoder(object: members, fieldPath: fieldPath.child(key), goStruct: goStruct, package: pkg)
    }

    /// A slice of structs; `[]` when absent or `null`.
    public func nestedArray(_ key: String, goStruct: String, package: String? = nil) throws(APIDecodingError) -> [FieldDecoder] {
        try decodeArray(key, goStruct: goStruct, package: package) { $0 }
    }

    /// Decodes each element of a struct slice with `body` (the same checks as `nestedArray`).
    public func decodeArray<T>(_ key: String, goStruct: String, package: String? = nil,
                               _ body: (FieldDecoder) throws(APIDecodingError) -> T) throws(APIDecodingError) -> [T] {
        guard let v = member(key) else { return [] }
        let pkg = package ?? self.package
        guard let items = v.elements else { throw typeError(key, v, goType: "[]\(pkg).\(goStruct)") }
        var out: [T] = []
        out.reserveCapacity(items.underestimatedCount)
        for (i, item) in items.enumerated() {
            let itemPath = fieldPath.element(key, i)
            if let members = item.objectValue {
                out.append(try body(FieldDecoder(object: members, fieldPath: itemPath, goStruct: goStruct, package: pkg)))
            } else if item.isNull {
                out.append(try body(FieldDecoder(object: JSONTape.emptyObject, fieldPath: itemPath, goStruct: goStruct, package: pkg)))
            } else {
                throw typeError(key, item, goType: "\(pkg).\(goStruct)", path: itemPath.description)
            }
        }
        return out
    }

    /// Decodes a nested struct with `body`; `nil` when absent.
    public func decode<T>(_ key: String, goStruct: String, package: String? = nil,
                          _ body: (FieldDecoder) throws(APIDecodingError) -> T) throws(APIDecodingError) -> T? {
        guard let d = try nested(key, goStruct: goStruct, package: package) else { return nil }
        return try body(d)
    }
}

/// A parsed Go duration with the text it was written as.
public struct DurationValue: Sendable, Equatable {
    public var text: String
    public var nanoseconds: Int64
    public var duration: Duration { .nanoseconds(nanoseconds) }
    /// Go's `Duration.String()` of the value (`1h0m0s`).
    public var formatted: String { GoDuration.format(nanoseconds: nanoseconds) }
    public init(text: String, nanoseconds: Int64) {
        self.text = text
        self.nanoseconds = nanoseconds
    }
}
