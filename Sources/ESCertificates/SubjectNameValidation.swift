// Input checks for DNS names and IP addresses before they reach OpenSSL's extension syntax.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum SubjectNameValidation {
    /// A DNS name for a SAN: 1-253 chars of letters, digits, `-`, `.`, `_`, with an optional leading `*.`.
    static func checkDNSName(_ name: String) throws(CertificateError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2d || byte == 0x2e || byte == 0x5f || byte == 0x2a
        }
        let wildcardOK = !name.dropFirst().contains("*") && (!name.hasPrefix("*") || name.hasPrefix("*."))
        guard !name.isEmpty, name.utf8.count <= 253, allowed, wildcardOK,
              !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..")
        else {
            throw CertificateError("invalid DNS name \"\(name.prefix(80))\"")
        }
    }

    /// An IPv4 or IPv6 address in textual form.
    static func checkIPAddress(_ address: String) throws(CertificateError) {
        var buffer = [UInt8](repeating: 0, count: 16)
        let isIPv4 = inet_pton(AF_INET, address, &buffer) == 1
        let isIPv6 = inet_pton(AF_INET6, address, &buffer) == 1
        guard isIPv4 || isIPv6 else {
            throw CertificateError("invalid IP address \"\(address.prefix(80))\"")
        }
    }
}
