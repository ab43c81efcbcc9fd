import ESHTTP
import Synchronization

/// `/healthz` and `/readyz` in the Kubernetes style: `ok`, or 500 listing the failed checks.
public final class HealthHandler: HTTPHandler {
    public typealias Check = @Sendable () -> Bool

    private let readinessChecks = Mutex<[(name: String, check: Check)]>([])
    private let livenessChecks = Mutex<[(name: String, check: Check)]>([])

    public init() {}

    /// Adds a check to `/readyz` (e.g. "webhook-certificate": a valid certificate is being served).
    public func addReadinessCheck(name: String, _ check: @escaping Check) {
        readinessChecks.withLock { $0.append((name, check)) }
    }

    /// Adds a check to `/healthz`.
    public func addLivenessCheck(name: String, _ check: @escaping Check) {
        livenessChecks.withLock { $0.append((name, check)) }
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .text(405, "method not allowed\n")
        }
        switch request.path {
        case "/healthz", "/healthz/", "/livez": return report(livenessChecks.withLock { $0 }, kind: "healthz", request: request)
        case "/readyz", "/readyz/": return report(readinessChecks.withLock { $0 }, kind: "readyz", request: request)
        default: return .text(404, "404 page not found\n")
        }
    }

    private func report(_ checks: [(name: String, check: Check)], kind: String, request: HTTPRequest) -> HTTPResponse {
        let results = checks.map { (name: $0.name, ok: $0.check()) }
        let healthy = results.allSatisfy(\.ok)
        let verbose = request.queryItems().contains { $0.name == "verbose" }
        if healthy && !verbose { return .text(200, "ok") }
        var text = ""
        for result in results { text += result.ok ? "[+]\(result.name) ok\n" : "[-]\(result.name) failed: reason withheld\n" }
        text += healthy ? "\(kind) check passed\n" : "\(kind) check failed\n"
        return .text(healthy ? 200 : 500, text)
    }
}
