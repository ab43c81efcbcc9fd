/// The AWS services this provider talks to, with their signing names, JSON target prefixes and endpoint overrides.
public enum AWSService: String, Sendable, CaseIterable {
    case secretsManager = "secretsmanager"
    case ssm = "ssm"
    case sts = "sts"

    /// The SigV4 service name and default endpoint host prefix.
    public var signingName: String { rawValue }

    /// `X-Amz-Target` prefix for the JSON protocol.
    var jsonTargetPrefix: String {
        switch self {
        case .secretsManager: return "secretsmanager"
        case .ssm: return "AmazonSSM"
        case .sts: return "AWSSecurityTokenServiceV20110615"
        }
    }

    /// Service id suffix of the SDKs' `AWS_ENDPOINT_URL_<ID>` variable.
    var endpointVariableSuffix: String {
        switch self {
        case .secretsManager: return "SECRETS_MANAGER"
        case .ssm: return "SSM"
        case .sts: return "STS"
        }
    }

    /// Upstream ESO's own override variable.
    var legacyEndpointVariable: String {
        switch self {
        case .secretsManager: return "AWS_SECRETSMANAGER_ENDPOINT"
        case .ssm: return "AWS_SSM_ENDPOINT"
        case .sts: return "AWS_STS_ENDPOINT"
        }
    }

    /// The `provider` label of upstream's `externalsecret_provider_api_calls_count`.
    var metricsProviderLabel: String {
        switch self {
        case .secretsManager: return "AWS/SecretsManager"
        case .ssm: return "AWS/ParameterStore"
        case .sts: return "AWS/STS"
        }
    }
}

/// Picks the endpoint URL of a service: upstream's `AWS_<SERVICE>_ENDPOINT`, then `AWS_ENDPOINT_URL_<ID>`, then
/// `AWS_ENDPOINT_URL`, then the regional AWS endpoint.
public struct AWSEndpointResolver: Sendable, Equatable {
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func endpoint(for service: AWSService, region: String) -> String {
        for name in [service.legacyEndpointVariable, "AWS_ENDPOINT_URL_" + service.endpointVariableSuffix, "AWS_ENDPOINT_URL"] {
            if let value = environment[name]?.trimmingSpaces(), !value.isEmpty { return value }
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://\(service.signingName).\(region).\(suffix)"
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
