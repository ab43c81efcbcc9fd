import Foundation

/// The parts of an endpoint URL a signed request needs.
struct AWSEndpointURL: Sendable, Equatable {
    var scheme: String
    /// `host[:port]` exactly as written (the signed Host header).
    var authority: String
    var path: String

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        authority = String(rest[..<slash])
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let rawPath = String(rest[slash...]).split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first
        path = rawPath.map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? "/"
    }

    var url: String { "\(scheme)://\(authority)\(path)" }
}
