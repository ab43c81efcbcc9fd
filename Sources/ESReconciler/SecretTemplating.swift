import ESJSON

/// Applies `target.template` (§6.2 steps 5–9) to a Secret being built. ESTemplate provides the
/// implementation; without one, any ExternalSecret with a template fails with a clear status error.
public protocol SecretTemplating: Sendable {
    /// `secret` already carries the metadata step and the data reset of §6.2 steps 2–3; `data` is
    /// the fetched provider data. Throws with a message suitable for the status condition.
    func apply(template: JSON, externalSecret: ExternalSecretView, data: [String: [UInt8]], secret: inout JSON) async throws
}

public struct TemplatesNotSupported: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "target.template is not supported yet by this controller" }
}
