import ESJSON

/// Issues and verifies the JWTs TokenRequest returns: HS256 with a per-server key, claims shaped
/// like the real ones (`iss`, `sub` = `system:serviceaccount:NS:NAME`, `aud`, `exp`, `iat`, `nbf`,
/// and the `kubernetes.io` block).
public struct ServiceAccountTokens: Sendable {
    public static let issuer = "https://kubernetes.default.svc.cluster.local"
    let key: [UInt8]

    init() {
        var generator = SystemRandomNumberGenerator()
        key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    func issue(namespace: String, name: String, uid: String, audiences: [String], expirationSeconds: Int,
               now: Double) -> (token: String, expires: Double) {
        let issuedAt = Int(now)
        let expires = issuedAt + expirationSeconds
        let header: JSON = ["alg": "HS256", "kid": "test-apiserver"]
        let claims: JSON = [
            "aud": .array(audiences.map { .string($0) }),
            "exp": .number(JSONNumber(expires)),
            "iat": .number(JSONNumber(issuedAt)),
            "iss": .string(Self.issuer),
            "kubernetes.io": ["namespace": .string(namespace),
                              "serviceaccount": ["name": .string(name), "uid": .string(uid)]],
            "nbf": .number(JSONNumber(issuedAt)),
            "sub": .string("system:serviceaccount:\(namespace):\(name)"),
        ]
        let signingInput = Base64.urlEncode(header.serialized()) + "." + Base64.urlEncode(claims.serialized())
        let signature = SHA256.hmac(key: key, message: Array(signingInput.utf8))
        return (signingInput + "." + Base64.urlEncode(signature), Double(expires))
    }

    /// The claims of a token this server issued, if the signature is valid and it has not expired.
    public func verify(_ token: String, now: Double) -> JSON? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = Base64.urlDecode(String(parts[2])),
              let payload = Base64.urlDecode(String(parts[1])) else { return nil }
        let expected = SHA256.hmac(key: key, message: Array("\(parts[0]).\(parts[1])".utf8))
        guard constantTimeEqual(signature, expected), let claims = try? JSON.parse(payload) else { return nil }
        guard let exp = claims["exp"]?.doubleValue, exp > now else { return nil }
        return claims
    }

    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
