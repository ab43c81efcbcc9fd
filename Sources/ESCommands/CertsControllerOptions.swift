import ArgumentParser
import ESCertController
import ESCertificates
import ESKube
import Logging

/// The cert-controller flags, for `serve` to include with `@OptionGroup` (it supplies --cert-dir and --dns-name).
public struct CertsControllerOptions: ParsableArguments {
    @Option(help: "Name of the webhook Service (the serving certificate is for NAME.NAMESPACE.svc).")
    public var serviceName: String = "external-secrets-webhook"

    @Option(help: "Namespace of the webhook Service.")
    public var serviceNamespace: String = "default"

    @Option(help: "Secret holding ca.crt, ca.key, tls.crt and tls.key.")
    public var secretName: String = "external-secrets-webhook"

    @Option(help: "Namespace of that Secret (and of the leader-election Lease).")
    public var secretNamespace: String = "default"

    @Option(name: .customLong("ip-address"), help: "IP address for the serving certificate (repeatable).")
    public var ipAddresses: [String] = []

    @Option(help: "Key algorithm: ecdsa-p256 or rsa2048.", transform: CertsOptionParsing.keyAlgorithm)
    public var keyAlgorithm: KeyAlgorithm = .ecdsaP256

    @Option(help: "Lifetime of a new CA; renewed with a third left (e.g. 1y, 8760h).", transform: CertsOptionParsing.duration)
    public var caValidity: Duration = .seconds(365 * 86400)

    @Option(help: "Lifetime of a serving certificate; renewed with a third left (e.g. 30d, 720h).",
            transform: CertsOptionParsing.duration)
    public var certValidity: Duration = .seconds(30 * 86400)

    @Option(help: "How often certificates and injected bundles are checked (e.g. 1m).", transform: CertsOptionParsing.duration)
    public var checkInterval: Duration = .seconds(60)

    @Option(name: .customLong("validating-webhook-config"),
            help: "ValidatingWebhookConfiguration to inject the CA bundle into (repeatable).")
    public var validatingWebhookConfigs: [String] = ["external-secrets-webhook"]

    @Option(name: .customLong("mutating-webhook-config"),
            help: "MutatingWebhookConfiguration to inject the CA bundle into (repeatable).")
    public var mutatingWebhookConfigs: [String] = ["external-secrets-webhook"]

    @Option(help: "Also inject into webhook configurations matching this label selector (needs list/watch on all).")
    public var webhookConfigSelector: String?

    @Option(help: "Comma-separated CRDs whose conversion webhook (strategy Webhook) gets the CA bundle.")
    public var crdNames: String = ""

    @Flag(help: "Elect one writer among replicas with a Lease.")
    public var enableLeaderElection = false

    @Option(help: "Name of the leader-election Lease.")
    public var leaseName: String = "external-secrets-cert-controller"

    public init() {}

    /// The controller configuration for the server's certificate directory and extra DNS names.
    public func configuration(certDirectory: String, extraDNSNames: [String]) throws -> CertControllerConfiguration {
        var configuration = CertControllerConfiguration()
        configuration.serviceName = serviceName
        configuration.serviceNamespace = serviceNamespace
        configuration.secretName = secretName
        configuration.secretNamespace = secretNamespace
        configuration.certDirectory = certDirectory
        configuration.extraDNSNames = extraDNSNames
        configuration.ipAddresses = ipAddresses
        configuration.keyAlgorithm = keyAlgorithm
        configuration.caValidity = caValidity
        configuration.certificateValidity = certValidity
        configuration.checkInterval = checkInterval
        configuration.validatingWebhookConfigurations = validatingWebhookConfigs.filter { !$0.isEmpty }
        configuration.mutatingWebhookConfigurations = mutatingWebhookConfigs.filter { !$0.isEmpty }
        configuration.webhookConfigurationSelector = webhookConfigSelector
        configuration.conversionCRDNames = crdNames.split(separator: ",").map { String($0) }.filter { !$0.isEmpty }
        configuration.leaderElection = enableLeaderElection
        configuration.leaseName = leaseName
        let problems = configuration.validate()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
        return configuration
    }

    /// The controller `serve` runs: in-cluster when `kube` is given (Secret storage, bundle injection, Lease when
    /// --enable-leader-election), otherwise standalone on `certDirectory`. Start it with `Task { await c.run() }`
    /// and add `c.readiness.isReady` to /readyz.
    public func makeController(certDirectory: String, extraDNSNames: [String], kube: KubeClient?, logger: Logger) throws
        -> CertController
    {
        let configuration = try configuration(certDirectory: certDirectory, extraDNSNames: extraDNSNames)
        guard let kube else { return CertController.standalone(configuration: configuration, logger: logger) }
        return CertController(configuration: configuration, kube: kube, logger: logger)
    }
}
