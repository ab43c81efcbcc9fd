/// AWS STS over the query protocol.
public struct STSClient: Sendable {
    public let client: AWSServiceClient
    static let apiVersion = "2011-06-15"

    public init(client: AWSServiceClient) { self.client = client }

    /// Unsigned by design (the web identity token is the credential): build `client` with `credentials: nil`.
    public func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, webIdentityToken: String,
                                          durationSeconds: Int? = nil) async throws -> AWSCredentials {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", webIdentityToken)]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        let xml = try await client.callQuery("AssumeRoleWithWebIdentity", version: Self.apiVersion, parameters)
        return try Self.credentials(from: xml, operation: "AssumeRoleWithWebIdentity")
    }

    public func assumeRole(roleARN: String, sessionName: String, externalID: String? = nil,
                           tags: [(key: String, value: String)] = [], transitiveTagKeys: [String] = [],
                           durationSeconds: Int? = nil) async throws -> AWSCredentials {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName)]
        if let externalID, !externalID.isEmpty { parameters.append(("ExternalId", externalID)) }
        for (index, tag) in tags.enumerated() {
            parameters.append(("Tags.member.\(index + 1).Key", tag.key))
            parameters.append(("Tags.member.\(index + 1).Value", tag.value))
        }
        for (index, key) in transitiveTagKeys.enumerated() {
            parameters.append(("TransitiveTagKeys.member.\(index + 1)", key))
        }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        let xml = try await client.callQuery("AssumeRole", version: Self.apiVersion, parameters)
        return try Self.credentials(from: xml, operation: "AssumeRole")
    }

    /// The caller's identity ARN (a cheap signed call for validation).
    public func getCallerIdentity() async throws -> String {
        let xml = try await client.callQuery("GetCallerIdentity", version: Self.apiVersion, [])
        return XMLText.firstValue(of: "Arn", in: xml) ?? ""
    }

    static func credentials(from xml: String, operation: String) throws -> AWSCredentials {
        guard let accessKeyID = XMLText.firstValue(of: "AccessKeyId", in: xml),
              let secret = XMLText.firstValue(of: "SecretAccessKey", in: xml) else {
            throw AWSError(kind: .transient, code: "", message: "response has no credentials", status: 200,
                           operation: operation)
        }
        let expiration = XMLText.firstValue(of: "Expiration", in: xml)
            .flatMap(AWSTimestamp.parseISO8601)
            .map { Double($0.secondsSinceEpoch) }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret,
                              sessionToken: XMLText.firstValue(of: "SessionToken", in: xml), expiration: expiration)
    }
}
