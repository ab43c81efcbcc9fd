// Building the cert-controller for a cluster.
import ESKube
import Logging

extension CertController {
    /// The field manager name of every write the cert-controller makes.
    public static let fieldManager = "external-secrets-cert-controller"

    /// The in-cluster cert-controller: the Secret `secretNamespace/secretName` is the storage, the named (or
    /// label-selected) webhook configurations and conversion CRDs receive the bundle, and a Lease elects the writer
    /// when `leaderElection` is on.
    public convenience init(configuration: CertControllerConfiguration, kube: KubeClient, logger: Logger) {
        let storage = SecretCertificateStorage(kube: kube, namespace: configuration.secretNamespace,
                                               name: configuration.secretName, logger: logger)
        let targets = WebhookBundleTargets(
            kube: kube, validatingNames: configuration.validatingWebhookConfigurations,
            mutatingNames: configuration.mutatingWebhookConfigurations,
            labelSelector: configuration.webhookConfigurationSelector,
            conversionCRDNames: configuration.conversionCRDNames, logger: logger)
        let leadership: any Leadership = configuration.leaderElection
            ? LeaseLeadership(kube: kube, namespace: configuration.secretNamespace, name: configuration.leaseName,
                              identity: configuration.identity, leaseDuration: configuration.leaseDuration, logger: logger)
            : SoleLeader()
        self.init(configuration: configuration, storage: storage, targets: targets, leadership: leadership, logger: logger)
    }
}
