/// The field manager every Secret write of one ExternalSecret uses (upstream `ExternalSecretFieldOwner`).
public enum FieldManager {
    public static let prefix = "externalsecrets.external-secrets.io/"

    /// `externalsecrets.external-secrets.io/<es-name>`, or the `sha3/<hex>` form when that exceeds 63 characters.
    public static func name(forExternalSecret esName: String) -> String {
        let plain = prefix + esName
        if plain.utf8.count > 63 {
            return prefix + "sha3/" + ObjectHash.sha3_224Hex(Array(esName.utf8))
        }
        return plain
    }
}
