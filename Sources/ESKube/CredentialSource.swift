import ESHTTPClient
import Foundation

/// Supplies the bearer token for each request: static, re-read from a file, or from an exec plugin
/// (cached until it expires). `invalidate()` after a 401 forces a fresh one.
final class CredentialSource: Sendable {
    private struct Cache {
        var token: String?
        var fetchedAt: Double = 0
        var expiresAt: Double?
        var tls: HTTPClientTLS?
        var valid = false
    }

    let credentials: KubeCredentials
    let baseTLS: HTTPClientTLS
    let fileRefreshSeconds: Double
    private let cache = Locked(Cache())

    init(credentials: KubeCredentials, tls: HTTPClientTLS, fileRefreshInterval: Duration) {
        self.credentials = credentials
        self.baseTLS = tls
        let (seconds, attoseconds) = fileRefreshInterval.components
        self.fileRefreshSeconds = Double(seconds) + Double(attoseconds) / 1e18
    }

    func invalidate() { cache.withLock { $0.valid = false } }

    /// The token for the next request (nil: send none) and, for exec plugins returning client
    /// certificates, the TLS settings to use instead of the configured ones.
    func current() async throws -> (token: String?, tls: HTTPClientTLS?) {
        let now = Date().timeIntervalSince1970
        switch credentials {
        case .none:
            return (nil, nil)
        case .token(let token):
            return (token, nil)
        case .tokenFile(let path):
            let cached = cache.withLock { c -> String? in
                c.valid && now - c.fetchedAt < fileRefreshSeconds ? c.token : nil
            }
            if let cached { return (cached, nil) }
            do {
                let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                cache.withLock { $0 = Cache(token: token, fetchedAt: now, valid: true) }
                return (token, nil)
            } catch {
                // Keep using the last good token if the file is briefly missing during rotation.
                if let last = cache.withLock({ $0.token }) { return (last, nil) }
                throw KubeConfigError("unable to read token file \(path): \(error.localizedDescription)")
            }
        case .exec(let plugin):
            let cached = cache.withLock { c -> (String?, HTTPClientTLS?)? in
                guard c.valid else { return nil }
                if let expires = c.expiresAt, expires - 10 <= now { return nil }
                return (c.token, c.tls)
            }
            if let cached { return cached }
            let credential = try await plugin.run()
            var tls: HTTPClientTLS?
            if let cert = credential.clientCertificatePEM, let key = credential.clientKeyPEM {
                var t = baseTLS
                t.clientCertificatePEM = cert
                t.clientKeyPEM = key
                tls = t
            }
            cache.withLock { $0 = Cache(token: credential.token, fetchedAt: now, expiresAt: credential.expiresAt, tls: tls, valid: true) }
            return (credential.token, tls)
        }
    }
}
