// The certificates in one Secret: ca.crt, ca.key, tls.crt, tls.key.
import ESCertificates
import ESJSON
import ESKube
import Foundation
import Logging

/// Keeps the material in one Secret, read with GET and written with resourceVersion-checked PUTs. Needs only
/// get/update/watch on that Secret by name (plus create when it does not exist yet).
public struct SecretCertificateStorage: CertificateStorage {
    public let kube: KubeClient
    public let namespace: String
    public let name: String
    let logger: Logger

    public init(kube: KubeClient, namespace: String, name: String, logger: Logger) {
        self.kube = kube
        self.namespace = namespace
        self.name = name
        self.logger = logger
    }

    public var displayName: String { "secret \(namespace)/\(name)" }

    public func load() async throws -> StoredCertificates {
        let secret: JSON
        do {
            secret = try await kube.get(.secrets, namespace: namespace, name: name)
        } catch let error as KubeError where error.isNotFound {
            return StoredCertificates(files: nil, version: nil, exists: false)
        }
        let version = secret[path: ["metadata", "resourceVersion"]]?.stringValue
        let data = secret["data"]?.objectValue ?? JSONObject()
        func value(_ key: String) -> String? {
            guard let encoded = data[key]?.stringValue, let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else {
                return nil
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let caCertificate = value(CertificateFiles.caCertificateFileName),
              let certificate = value(CertificateFiles.certificateFileName),
              let key = value(CertificateFiles.keyFileName)
        else {
            return StoredCertificates(files: nil, version: version, exists: true)
        }
        let files = CertificateFiles(caCertificatePEM: caCertificate, caKeyPEM: value(CertificateFiles.caKeyFileName),
                                     certificatePEM: certificate, keyPEM: key)
        return StoredCertificates(files: files, version: version, exists: true)
    }

    public func save(_ files: CertificateFiles, replacing previous: StoredCertificates) async throws {
        var data = JSONObject()
        data[CertificateFiles.caCertificateFileName] = .string(Self.base64(files.caCertificatePEM))
        if let caKey = files.caKeyPEM {
            data[CertificateFiles.caKeyFileName] = .string(Self.base64(caKey))
        }
        data[CertificateFiles.certificateFileName] = .string(Self.base64(files.certificatePEM))
        data[CertificateFiles.keyFileName] = .string(Self.base64(files.keyPEM))

        guard previous.exists else {
            let secret: JSON = [
                "apiVersion": "v1", "kind": "Secret",
                "metadata": ["name": .string(name), "namespace": .string(namespace),
                             "labels": ["external-secrets.io/component": "webhook"]],
                "type": "Opaque",
                "data": .object(data),
            ]
            do {
                _ = try await kube.create(.secrets, namespace: namespace, secret, fieldManager: CertController.fieldManager)
            } catch let error as KubeError where error.isForbidden {
                throw KubeError(code: error.code, reason: error.reason, message: "\(displayName) does not exist and "
                    + "may not be created (least-privilege RBAC): create it empty first (deploy/webhook/secret.yaml)")
            }
            return
        }
        var secret = try await kube.get(.secrets, namespace: namespace, name: name)
        let current = secret[path: ["metadata", "resourceVersion"]]?.stringValue
        guard current == previous.version else {
            throw KubeError(code: 409, reason: "Conflict",
                            message: "\(displayName) changed since it was read (resourceVersion \(current ?? "none"))")
        }
        var merged = secret["data"]?.objectValue ?? JSONObject()
        for key in [CertificateFiles.caCertificateFileName, CertificateFiles.caKeyFileName,
                    CertificateFiles.certificateFileName, CertificateFiles.keyFileName] {
            merged[key] = data[key]
        }
        secret["data"] = .object(merged)
        _ = try await kube.update(.secrets, namespace: namespace, secret, fieldManager: CertController.fieldManager)
    }

    public func changes() -> AsyncStream<Void> {
        KubeWatchTrigger.changes(kube, .secrets, namespace: namespace, fieldSelector: "metadata.name=\(name)",
                                 logger: logger)
    }

    /// A Normal Event on the Secret per change (reasons `CertificatesIssued`, `CAAdded`, `CertificateRenewed`,
    /// `CARetired`); needs `create` on events.k8s.io events in the Secret's namespace.
    public func recordChanges(_ steps: [RotationStep]) async {
        let secret: JSON = ["apiVersion": "v1", "kind": "Secret",
                            "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        for step in steps {
            let reason: String
            switch step {
            case .issuedNewCAAndCertificate: reason = "CertificatesIssued"
            case .addedNewCA: reason = "CAAdded"
            case .reissuedCertificate: reason = "CertificateRenewed"
            case .retiredCA: reason = "CARetired"
            case .waitingForBundlePropagation: continue
            }
            await kube.recordEvent(regarding: secret, type: .normal, reason: reason, action: "Rotate",
                                   note: step.description, reportingController: CertController.fieldManager)
        }
    }

    static func base64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }
}
