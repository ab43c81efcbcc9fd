/// A failed AWS call: the service's error code and message, classified for the reconciler.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The service said the resource does not exist (ResourceNotFoundException, ParameterNotFound,
        /// or a secret marked for deletion). The only kind that may lead to deleting a Secret.
        case notFound
        /// Rejected credentials or signature, or not allowed.
        case auth
        /// Throttling (retried with backoff before surfacing).
        case throttled
        /// 5xx or transport failure (retried with backoff before surfacing).
        case transient
        /// Anything else the service rejected.
        case invalid
    }

    public var kind: Kind
    /// The AWS error code ("ResourceNotFoundException"), or "" for transport failures.
    public var code: String
    public var message: String
    /// HTTP status (0 for transport failures).
    public var status: Int
    /// The operation ("GetSecretValue").
    public var operation: String

    public init(kind: Kind, code: String, message: String, status: Int, operation: String) {
        self.kind = kind
        self.code = code
        self.message = message
        self.status = status
        self.operation = operation
    }

    /// Like the Go SDK: `operation error <Service>: <Op>, https response error StatusCode: 400, ..., <Code>: <msg>`
    /// shortened to what is useful: `<Op>: <Code>: <message>`.
    public var description: String {
        code.isEmpty ? "\(operation): \(message)" : "\(operation): \(code): \(message)"
    }

    static let notFoundCodes: Set<String> = ["ResourceNotFoundException", "ParameterNotFound"]
    static let authCodes: Set<String> = [
        "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AccessDeniedException", "AccessDenied", "ExpiredTokenException", "ExpiredToken", "IncompleteSignature",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "AuthFailure", "InvalidAccessKeyId",
        "InvalidIdentityToken", "IDPRejectedClaim", "IDPCommunicationError", "NotAuthorized", "UnauthorizedOperation",
        "KMSAccessDeniedException",
    ]
    static let throttlingCodes: Set<String> = [
        "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
        "RequestThrottled", "RequestThrottledException", "ProvisionedThroughputExceededException", "SlowDown",
        "PriorRequestNotComplete", "BandwidthLimitExceeded", "LimitExceededException", "EC2ThrottledException",
        "TransactionInProgressException",
    ]
    static let transientCodes: Set<String> = [
        "InternalServiceError", "InternalServiceErrorException", "InternalFailure", "InternalError", "ServiceUnavailable",
        "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException",
    ]

    /// Classifies an error response by code first, then HTTP status.
    static func classify(code: String, message: String, status: Int) -> Kind {
        if notFoundCodes.contains(code) { return .notFound }
        // AWS: "...because it was marked for deletion."; moto: "...currently marked deleted."
        if (code == "InvalidRequestException" || code == "InvalidParameterException")
            && (message.contains("marked for deletion") || message.contains("marked deleted")) {
            return .notFound
        }
        if authCodes.contains(code) { return .auth }
        if throttlingCodes.contains(code) || status == 429 { return .throttled }
        if transientCodes.contains(code) || status >= 500 { return .transient }
        if status == 401 || status == 403 { return .auth }
        return .invalid
    }
}
