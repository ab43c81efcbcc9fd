import ESJSON

/// Reading and writing `Secret.data` (base64 strings in JSON) as bytes.
public enum SecretData {
    /// The decoded `.data` of a Secret; values that are not valid base64 are kept as their raw text
    /// (the hash then simply does not match, which forces a rewrite).
    public static func decode(_ secret: JSON?) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for (k, v) in secret?["data"]?.objectValue ?? JSONObject() {
            guard let s = v.stringValue else { continue }
            out[k] = (try? GoBase64.decode(Array(s.utf8), alphabet: .standard)) ?? Array(s.utf8)
        }
        return out
    }

    public static func encode(_ data: [String: [UInt8]]) -> JSON {
        var object = JSONObject(minimumCapacity: data.count)
        for key in data.keys.sorted() {
            object[key] = .string(Base64Encoding.encode(data[key] ?? []))
        }
        return .object(object)
    }

    /// `.data` of the Secret hashes to its `data-hash` annotation (ESO's "valid" test, with the label check).
    public static func isValidManaged(_ secret: JSON?) -> Bool {
        guard let secret else { return false }
        guard secret[path: ["metadata", "labels", ManagedLabels.managed]]?.stringValue == "true" else { return false }
        let annotated = secret[path: ["metadata", "annotations", ManagedLabels.dataHash]]?.stringValue
        return annotated == ObjectHash.ofSecretData(decode(secret))
    }
}

/// Upstream's well-known names (§1.4).
public enum ManagedLabels {
    public static let managed = "reconcile.external-secrets.io/managed"
    public static let dataHash = "reconcile.external-secrets.io/data-hash"
    public static let createdBy = "reconcile.external-secrets.io/created-by"
    public static let forceSync = "external-secrets.io/force-sync"
    public static let finalizer = "externalsecrets.external-secrets.io/externalsecret-cleanup"
}
