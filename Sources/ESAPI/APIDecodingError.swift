/// An object that cannot be decoded into the external-secrets.io Go types, worded as Go's decoder
/// words it (`json: cannot unmarshal number into Go struct field ExternalSecretDataRemoteRef.spec.data.remoteRef.key of type string`,
/// `time: invalid duration "abc"`), with the field path (`spec.data[2].remoteRef.key`) and, for
/// objects read from YAML, the 1-based line.
public struct APIDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Field path with list indices, `""` for the object itself.
    public var path: String
    /// The decoder's message (what upstream's webhook puts in `status.message`).
    public var message: String
    /// Source line when the object came from YAML.
    public var line: Int?

    public init(path: String, message: String, line: Int? = nil) {
        self.path = path
        self.message = message
        self.line = line
    }

    public var description: String { message }
}
