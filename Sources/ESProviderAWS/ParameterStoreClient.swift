import ESJSON

/// One SSM parameter.
public struct SSMParameter: Sendable, Equatable {
    public var name: String
    /// `String`, `StringList` or `SecureString`.
    public var type: String
    public var value: String?
    public var version: Int?
    public var arn: String?
}

/// A DescribeParameters `ParameterFilters` entry.
public struct SSMParameterFilter: Sendable, Equatable {
    public var key: String
    public var option: String?
    public var values: [String]
    public init(key: String, option: String? = nil, values: [String]) {
        self.key = key
        self.option = option
        self.values = values
    }
}

/// AWS Systems Manager Parameter Store (JSON protocol).
public struct ParameterStoreClient: Sendable {
    public let client: AWSServiceClient
    public static let getParametersLimit = 10

    public init(client: AWSServiceClient) { self.client = client }

    /// `name` may carry a selector: `name:3` (version) or `name:label`.
    public func getParameter(name: String, withDecryption: Bool = true) async throws -> SSMParameter {
        var input = JSONObject()
        input["Name"] = .string(name)
        input["WithDecryption"] = .bool(withDecryption)
        let output = try await client.callJSON("GetParameter", .object(input))
        return Self.parameter(output["Parameter"] ?? .null)
    }

    /// Up to 10 names per call; returns the found parameters and the names AWS reported invalid (absent).
    public func getParameters(names: [String], withDecryption: Bool = true)
        async throws -> (parameters: [SSMParameter], invalid: [String]) {
        var input = JSONObject()
        input["Names"] = .array(names.map { .string($0) })
        input["WithDecryption"] = .bool(withDecryption)
        let output = try await client.callJSON("GetParameters", .object(input))
        return ((output["Parameters"]?.arrayValue ?? []).map(Self.parameter),
                (output["InvalidParameters"]?.arrayValue ?? []).compactMap { $0.stringValue })
    }

    /// One page of GetParametersByPath.
    public func getParametersByPath(path: String, recursive: Bool, withDecryption: Bool = true,
                                    nextToken: String? = nil) async throws -> (parameters: [SSMParameter], nextToken: String?) {
        var input = JSONObject()
        input["Path"] = .string(path)
        input["Recursive"] = .bool(recursive)
        input["WithDecryption"] = .bool(withDecryption)
        input["MaxResults"] = .number(JSONNumber(10))
        if let nextToken { input["NextToken"] = .string(nextToken) }
        let output = try await client.callJSON("GetParametersByPath", .object(input))
        return ((output["Parameters"]?.arrayValue ?? []).map(Self.parameter), SecretsManagerClient.token(output))
    }

    /// One page of DescribeParameters: parameter names (metadata only, no values).
    public func describeParameters(filters: [SSMParameterFilter], nextToken: String? = nil)
        async throws -> (names: [String], nextToken: String?) {
        var input = JSONObject()
        input["ParameterFilters"] = .array(filters.map { f in
            var o = JSONObject()
            o["Key"] = .string(f.key)
            if let option = f.option { o["Option"] = .string(option) }
            o["Values"] = .array(f.values.map { .string($0) })
            return .object(o)
        })
        input["MaxResults"] = .number(JSONNumber(50))
        if let nextToken { input["NextToken"] = .string(nextToken) }
        let output = try await client.callJSON("DescribeParameters", .object(input))
        return ((output["Parameters"]?.arrayValue ?? []).compactMap { $0["Name"]?.stringValue },
                SecretsManagerClient.token(output))
    }

    public func listTagsForParameter(name: String) async throws -> [(key: String, value: String)] {
        var input = JSONObject()
        input["ResourceType"] = .string("Parameter")
        input["ResourceId"] = .string(name)
        let output = try await client.callJSON("ListTagsForResource", .object(input))
        return (output["TagList"]?.arrayValue ?? []).compactMap { tag in
            guard let k = tag["Key"]?.stringValue else { return nil }
            return (k, tag["Value"]?.stringValue ?? "")
        }
    }

    static func parameter(_ json: JSON) -> SSMParameter {
        SSMParameter(name: json["Name"]?.stringValue ?? "", type: json["Type"]?.stringValue ?? "",
                     value: json["Value"]?.stringValue, version: json["Version"]?.intValue,
                     arn: json["ARN"]?.stringValue)
    }
}
