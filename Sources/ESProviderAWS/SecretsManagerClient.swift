import ESJSON
import Foundation

/// One secret version as Secrets Manager returns it.
public struct SecretsManagerSecretValue: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var versionID: String?
    public var secretString: String?
    public var secretBinary: [UInt8]?
}

/// One BatchGetSecretValue page.
public struct SecretsManagerBatch: Sendable {
    public var values: [SecretsManagerSecretValue]
    /// Per-secret failures, by the id as requested.
    public var errors: [(secretID: String, error: AWSError)]
    public var nextToken: String?
}

/// A ListSecrets / BatchGetSecretValue filter (`name`, `tag-key`, `tag-value`, `description`, `all`, ...).
public struct SecretsManagerFilter: Sendable, Equatable {
    public var key: String
    public var values: [String]
    public init(key: String, values: [String]) { self.key = key; self.values = values }
}

/// AWS Secrets Manager (JSON protocol).
public struct SecretsManagerClient: Sendable {
    public let client: AWSServiceClient
    public static let batchLimit = 20

    public init(client: AWSServiceClient) { self.client = client }

    /// `versionID` wins over `versionStage`; with neither, AWS uses AWSCURRENT.
    public func getSecretValue(secretID: String, versionStage: String? = nil,
                               versionID: String? = nil) async throws -> SecretsManagerSecretValue {
        var input = JSONObject()
        input["SecretId"] = .string(secretID)
        if let versionID { input["VersionId"] = .string(versionID) } else if let versionStage {
            input["VersionStage"] = .string(versionStage)
        }
        return Self.secretValue(try await client.callJSON("GetSecretValue", .object(input)))
    }

    /// One page of ListSecrets: names and the next token.
    public func listSecrets(filters: [SecretsManagerFilter] = [], nextToken: String? = nil,
                            maxResults: Int = 100) async throws -> (names: [String], nextToken: String?) {
        var input = JSONObject()
        if !filters.isEmpty { input["Filters"] = Self.json(filters) }
        if let nextToken { input["NextToken"] = .string(nextToken) }
        input["MaxResults"] = .number(JSONNumber(maxResults))
        let output = try await client.callJSON("ListSecrets", .object(input))
        let names = (output["SecretList"]?.arrayValue ?? []).compactMap { $0["Name"]?.stringValue }
        return (names, Self.token(output))
    }

    /// One page of BatchGetSecretValue, by ids (at most 20) or by filters. Per-secret errors are returned, not thrown.
    public func batchGetSecretValue(secretIDs: [String] = [], filters: [SecretsManagerFilter] = [],
                                    nextToken: String? = nil) async throws -> SecretsManagerBatch {
        var input = JSONObject()
        if !secretIDs.isEmpty { input["SecretIdList"] = .array(secretIDs.map { .string($0) }) }
        if !filters.isEmpty {
            input["Filters"] = Self.json(filters)
            input["MaxResults"] = .number(JSONNumber(Self.batchLimit))
        }
        if let nextToken { input["NextToken"] = .string(nextToken) }
        let output = try await client.callJSON("BatchGetSecretValue", .object(input))
        let values = (output["SecretValues"]?.arrayValue ?? []).map(Self.secretValue)
        let errors = (output["Errors"]?.arrayValue ?? []).map { e -> (secretID: String, error: AWSError) in
            let code = e["ErrorCode"]?.stringValue ?? ""
            let message = e["Message"]?.stringValue ?? ""
            let error = AWSError(kind: AWSError.classify(code: code, message: message, status: 400), code: code,
                                 message: message, status: 400, operation: "BatchGetSecretValue")
            return (e["SecretId"]?.stringValue ?? "", error)
        }
        return SecretsManagerBatch(values: values, errors: errors, nextToken: Self.token(output))
    }

    /// The secret's tags in AWS order.
    public func describeSecretTags(secretID: String) async throws -> [(key: String, value: String)] {
        var input = JSONObject()
        input["SecretId"] = .string(secretID)
        let output = try await client.callJSON("DescribeSecret", .object(input))
        return (output["Tags"]?.arrayValue ?? []).compactMap { tag in
            guard let k = tag["Key"]?.stringValue else { return nil }
            return (k, tag["Value"]?.stringValue ?? "")
        }
    }

    static func secretValue(_ json: JSON) -> SecretsManagerSecretValue {
        SecretsManagerSecretValue(
            name: json["Name"]?.stringValue ?? "",
            arn: json["ARN"]?.stringValue ?? "",
            versionID: json["VersionId"]?.stringValue,
            secretString: json["SecretString"]?.stringValue,
            secretBinary: json["SecretBinary"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) })
    }

    static func json(_ filters: [SecretsManagerFilter]) -> JSON {
        .array(filters.map { f in
            var o = JSONObject()
            o["Key"] = .string(f.key)
            o["Values"] = .array(f.values.map { .string($0) })
            return .object(o)
        })
    }

    static func token(_ output: JSON) -> String? {
        guard let t = output["NextToken"]?.stringValue, !t.isEmpty else { return nil }
        return t
    }
}
