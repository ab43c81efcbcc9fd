// Flags of the cert-controller (upstream's names where upstream has them).
import ESCertificates

/// Everything the cert-controller needs to know; defaults match the flags' defaults.
public struct CertControllerConfiguration: Sendable, Equatable {
    /// `--service-name` / `--service-namespace`: the webhook Service the serving certificate is for.
    public var serviceName = "external-secrets-webhook"
    public var serviceNamespace = "default"
    /// `--secret-name` / `--secret-namespace`: the one Secret holding ca.crt, ca.key, tls.crt, tls.key.
    public var secretName = "external-secrets-webhook"
    public var secretNamespace = "default"
    /// `--cert-dir`: where the server reads tls.crt / tls.key / ca.crt.
    public var certDirectory = "/tmp/k8s-webhook-server/serving-certs"
    /// `--dns-name` / `--ip-address`: extra SANs.
    public var extraDNSNames: [String] = []
    public var ipAddresses: [String] = []
    public var keyAlgorithm: KeyAlgorithm = .ecdsaP256
    /// `--ca-validity`, `--cert-validity`, `--check-interval`.
    public var caValidity: Duration = .seconds(365 * 86400)
    public var certificateValidity: Duration = .seconds(30 * 86400)
    public var checkInterval: Duration = .seconds(60)
    /// `--validating-webhook-config` / `--mutating-webhook-config`: names of the configurations to inject into.
    public var validatingWebhookConfigurations: [String] = ["external-secrets-webhook"]
    public var mutatingWebhookConfigurations: [String] = ["external-secrets-webhook"]
    /// `--webhook-config-selector`: additionally inject into configurations with this label selector
    /// (needs list/watch on all webhook configurations).
    public var webhookConfigurationSelector: String?
    /// `--crd-names`: CRDs whose conversion webhook (when `spec.conversion.strategy: Webhook`) gets the bundle.
    public var conversionCRDNames: [String] = []
    /// `--enable-leader-election` and the Lease used.
    public var leaderElection = true
    public var leaseName = "external-secrets-cert-controller"
    public var leaseDuration: Duration = .seconds(15)
    /// Lease holder identity; unique per process by default.
    public var identity = LeaseLeadership.defaultIdentity()

    public init() {}

    /// The serving certificate's DNS names: the Service's two names plus `extraDNSNames`.
    public var dnsNames: [String] {
        ServingNames.dnsNames(serviceName: serviceName, serviceNamespace: serviceNamespace, extra: extraDNSNames)
    }

    public var policy: RotationPolicy {
        RotationPolicy(dnsNames: dnsNames, ipAddresses: ipAddresses, keyAlgorithm: keyAlgorithm,
                       caValidity: caValidity, certificateValidity: certificateValidity,
                       minimumCAOverlap: checkInterval)
    }

    /// Problems with the combination of values (empty: fine).
    public func validate() -> [String] {
        var problems: [String] = []
        if certificateValidity > caValidity { problems.append("--cert-validity must not exceed --ca-validity") }
        if checkInterval * 3 > certificateValidity {
            problems.append("--check-interval must be at most a third of --cert-validity")
        }
        if serviceName.isEmpty || serviceNamespace.isEmpty { problems.append("--service-name and --service-namespace must be set") }
        return problems
    }
}
