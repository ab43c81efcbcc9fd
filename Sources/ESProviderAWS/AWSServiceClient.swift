import ESHTTPClient
import ESJSON
import Logging

/// Observes every AWS API call attempt's final outcome (metrics, benchmarks).
public typealias AWSCallObserver = @Sendable (_ service: AWSService, _ operation: String, _ success: Bool) -> Void

/// Signed calls to one AWS service in one region: the JSON protocol (Secrets Manager, SSM) and the query
/// protocol (STS), with retries on throttling/5xx/transport failures and typed `AWSError`s.
public struct AWSServiceClient: Sendable {
    public let service: AWSService
    public let region: String
    public let endpoint: String
    let http: HTTPClient
    let credentials: (any AWSCredentialsProvider)?
    let retry: AWSRetryPolicy
    let observer: AWSCallObserver?
    static let logger = Logger(label: "external-secrets.provider.aws")

    /// `credentials` nil sends unsigned requests (STS AssumeRoleWithWebIdentity).
    public init(service: AWSService, region: String, endpoint: String, http: HTTPClient,
                credentials: (any AWSCredentialsProvider)?, retry: AWSRetryPolicy = .standard,
                observer: AWSCallObserver? = nil) {
        self.service = service
        self.region = region
        self.endpoint = endpoint
        self.http = http
        self.credentials = credentials
        self.retry = retry
        self.observer = observer
    }

    /// A JSON-protocol call: POST with `X-Amz-Target: <prefix>.<operation>`; returns the parsed response object.
    public func callJSON(_ operation: String, _ input: JSON) async throws -> JSON {
        let body = input.serialized()
        let headers = [("Content-Type", "application/x-amz-json-1.1"),
                       ("X-Amz-Target", "\(service.jsonTargetPrefix).\(operation)")]
        let response = try await send(operation, headers: headers, body: body)
        if response.body.isEmpty { return .object(JSONObject()) }
        do {
            return try JSON.parse(response.body)
        } catch {
            throw AWSError(kind: .transient, code: "", message: "invalid JSON in response: \(error.message)",
                           status: response.status, operation: operation)
        }
    }

    /// A query-protocol call (`Action=<operation>&Version=...` form body); returns the XML response text.
    public func callQuery(_ operation: String, version: String, _ parameters: [(String, String)]) async throws -> String {
        let form = AWSPercentEncoding.formBody([("Action", operation), ("Version", version)] + parameters)
        let headers = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        let response = try await send(operation, headers: headers, body: Array(form.utf8))
        return String(decoding: response.body, as: UTF8.self)
    }

    private func send(_ operation: String, headers: [(String, String)], body: [UInt8]) async throws -> HTTPClientResponse {
        guard let url = AWSEndpointURL(endpoint) else {
            throw AWSError(kind: .invalid, code: "", message: "invalid endpoint URL \"\(endpoint)\"", status: 0,
                           operation: operation)
        }
        var attempt = 0
        while true {
            do {
                let response = try await attemptOnce(operation, url: url, headers: headers, body: body)
                observer?(service, operation, true)
                return response
            } catch let error as AWSError {
                attempt += 1
                guard AWSRetryPolicy.isRetryable(error.kind), attempt <= retry.maxRetries else {
                    observer?(service, operation, false)
                    throw error
                }
                let delay = retry.delay(beforeRetry: attempt)
                Self.logger.debug("retrying AWS call", metadata: [
                    "service": "\(service.rawValue)", "operation": "\(operation)", "attempt": "\(attempt)",
                    "error": "\(error.code.isEmpty ? error.kind.rawValue : error.code)", "delay": "\(delay)",
                ])
                try await Task.sleep(for: delay)
            }
        }
    }

    private func attemptOnce(_ operation: String, url: AWSEndpointURL, headers: [(String, String)],
                             body: [UInt8]) async throws -> HTTPClientResponse {
        var requestHeaders = [("Host", url.authority)] + headers
        if let credentials {
            let keys: AWSCredentials
            do {
                keys = try await credentials.credentials()
            } catch let error as AWSError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw AWSError(kind: .auth, code: "", message: "could not retrieve credentials: \(error)", status: 0,
                               operation: operation)
            }
            let signer = SigV4Signer(service: service.signingName, region: region)
            requestHeaders = signer.sign(method: "POST", path: url.path, query: nil, headers: requestHeaders, body: body,
                                         credentials: keys, at: .now()).headers
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(HTTPClientRequest(method: "POST", url: url.url, headers: requestHeaders,
                                                                body: body))
        } catch let error as HTTPClientError {
            let kind: AWSError.Kind = error.kind == .invalidRequest ? .invalid : .transient
            throw AWSError(kind: kind, code: "", message: error.message, status: 0, operation: operation)
        }
        guard (200..<300).contains(response.status) else {
            throw AWSErrorResponse.parse(response, operation: operation)
        }
        return response
    }
}
