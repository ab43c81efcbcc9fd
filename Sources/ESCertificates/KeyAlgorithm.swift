// The key types the issuer can generate.

/// Key algorithm for generated CA and serving keys (`--key-algorithm`).
public enum KeyAlgorithm: String, Sendable, CaseIterable {
    /// ECDSA on NIST P-256 with SHA-256 signatures (the default: small and fast).
    case ecdsaP256 = "ecdsa-p256"
    /// RSA 2048-bit with SHA-256 signatures (what upstream ESO generates).
    case rsa2048 = "rsa2048"
}
