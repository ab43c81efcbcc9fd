/// An AWS access key pair, optionally temporary (session token + expiry).
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Seconds since the Unix epoch after which the credentials are invalid; nil for long-lived keys.
    public var expiration: Double?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Double? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }
}

extension AWSCredentials: CustomStringConvertible {
    /// Never prints the secret key or token.
    public var description: String { "AWSCredentials(accessKeyID: \(accessKeyID), temporary: \(sessionToken != nil))" }
}
