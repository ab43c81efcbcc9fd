// Prometheus-facing numbers of the cert-controller (through swift-metrics, exported by ESMetrics).
import ESCertificates
import Metrics

/// `certcontroller_*` metrics: expiry of what is stored and served, rotation steps, readiness.
enum CertControllerMetrics {
    /// Unix time at which the stored serving certificate and the signing CA expire.
    static func recordExpiry(_ files: CertificateFiles) {
        if let leaf = try? CertificateInspector.inspect(pem: files.certificatePEM).first {
            Gauge(label: "certcontroller_certificate_expiration_timestamp_seconds",
                  dimensions: [("certificate", "serving")]).record(Double(leaf.notAfter))
        }
        let newestCA = (try? CertificateInspector.inspect(pem: files.caCertificatePEM))?.max { $0.notBefore < $1.notBefore }
        if let newestCA {
            Gauge(label: "certcontroller_certificate_expiration_timestamp_seconds",
                  dimensions: [("certificate", "ca")]).record(Double(newestCA.notAfter))
        }
        let bundleSize = (try? CertificateInspector.inspect(pem: files.caCertificatePEM).count) ?? 0
        Gauge(label: "certcontroller_ca_bundle_certificates").record(Double(bundleSize))
    }

    static func recordSteps(_ steps: [RotationStep]) {
        for step in steps {
            let name: String
            switch step {
            case .issuedNewCAAndCertificate: name = "issued"
            case .addedNewCA: name = "ca_added"
            case .reissuedCertificate: name = "certificate_renewed"
            case .retiredCA: name = "ca_retired"
            case .waitingForBundlePropagation: continue
            }
            Counter(label: "certcontroller_rotation_steps_total", dimensions: [("step", name)]).increment()
        }
    }

    static func recordReconcile(success: Bool) {
        Counter(label: "certcontroller_reconcile_total", dimensions: [("result", success ? "success" : "error")]).increment()
    }
}
