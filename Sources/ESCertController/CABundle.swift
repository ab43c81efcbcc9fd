// A CA bundle as a list of parsed certificates.
import ESCertificates

/// One CA certificate of a bundle.
struct BundleEntry: Sendable, Equatable {
    var pem: String
    var info: CertificateInfo

    /// When the CA was created (`notBefore` is backdated by the issuer).
    var createdAt: Int64 { info.notBefore + CertificateIssuer.backdateSeconds }
}

enum CABundle {
    /// The CA certificates of `pem` (non-CA blocks are dropped); empty when it cannot be parsed.
    static func entries(_ pem: String) -> [BundleEntry] {
        guard let blocks = try? CertificateInspector.certificateBlocks(pem: pem) else { return [] }
        var entries: [BundleEntry] = []
        for block in blocks {
            guard let info = try? CertificateInspector.inspect(pem: block).first, info.isCA else { continue }
            if !entries.contains(where: { $0.pem == block }) {
                entries.append(BundleEntry(pem: block, info: info))
            }
        }
        return entries
    }

    static func pem(_ entries: [BundleEntry]) -> String {
        entries.map(\.pem).joined()
    }

    /// Whether `bundlePEM` contains the certificate `entry` (compared after normalizing PEM).
    static func contains(_ bundlePEM: String, _ entry: BundleEntry) -> Bool {
        guard let blocks = try? CertificateInspector.certificateBlocks(pem: bundlePEM) else { return false }
        return blocks.contains(entry.pem)
    }
}
