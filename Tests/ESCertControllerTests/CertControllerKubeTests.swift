import ESCertController
import ESCertificates
import ESJSON
import ESKube
import ESTestAPIServer
import Foundation
import Testing

@Suite struct CertControllerKubeTests {
    @Test func firstStartCreatesTheSecretInjectsEveryWebhookAndBecomesReady() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let controller = CertController(configuration: kubeConfiguration(certDirectory: directory), kube: fixture.kube,
                                        logger: testLogger)
        let report = try await controller.reconcile()
        #expect(report.saved && report.injected == 4 && report.wroteCertificateDirectory)

        let secret = try #require(try await fixture.secret())
        #expect(secret["data"]?.objectValue?.keys.sorted() == ["ca.crt", "ca.key", "tls.crt", "tls.key"])
        let stored = try #require(try await fixture.storedFiles())
        try CertificateVerifier.verify(stored, dnsName: "wh.es.svc", at: UnixTime.now())
        #expect(try await fixture.injectedBundles() == Array(repeating: stored.caCertificatePEM, count: 4))
        let served = try CertificateFiles.read(fromDirectory: directory)
        #expect(served.caKeyPEM == nil && served.certificatePEM == stored.certificatePEM)
        #expect(controller.readiness.isReady, "\(controller.readiness)")
        let events = fixture.server.store.objects("events", group: "events.k8s.io", namespace: "default")
        #expect(events.contains { $0["reason"]?.stringValue == "CertificatesIssued"
            && $0[path: ["regarding", "name"]]?.stringValue == "external-secrets-webhook" })
    }

    @Test func fillsAPreCreatedEmptySecretKeepingItsMetadata() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let empty: JSON = ["apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                           "metadata": ["name": "external-secrets-webhook", "namespace": "default",
                                        "labels": ["external-secrets.io/component": "webhook", "team": "platform"]]]
        _ = try await fixture.kube.create(.secrets, namespace: "default", empty)
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let controller = CertController(configuration: kubeConfiguration(certDirectory: directory), kube: fixture.kube,
                                        logger: testLogger)
        let report = try await controller.reconcile()
        #expect(report.saved)
        let secret = try #require(try await fixture.secret())
        #expect(secret[path: ["metadata", "labels", "team"]]?.stringValue == "platform")
        #expect(secret["data"]?.objectValue?.keys.sorted() == ["ca.crt", "ca.key", "tls.crt", "tls.key"])
        #expect(controller.readiness.isReady)
    }

    @Test func restartWithAValidSecretReissuesNothing() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let config = kubeConfiguration(certDirectory: directory)
        try await CertController(configuration: config, kube: fixture.kube, logger: testLogger).reconcile()
        let version = try await fixture.secret()?[path: ["metadata", "resourceVersion"]]
        let bundles = try await fixture.injectedBundles()

        let restarted = CertController(configuration: config, kube: fixture.kube, logger: testLogger)
        let report = try await restarted.reconcile()
        #expect(report.steps.isEmpty && !report.saved && report.injected == 0)
        #expect(try await fixture.secret()?[path: ["metadata", "resourceVersion"]] == version)
        #expect(try await fixture.injectedBundles() == bundles)
        #expect(restarted.readiness.isReady)
    }

    @Test func caRotationThroughTheAPIServerOverlapsBundles() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let controller = CertController(
            configuration: kubeConfiguration(certDirectory: directory, ca: 90, cert: 30, interval: 2),
            kube: fixture.kube, logger: testLogger)
        let start = UnixTime.now()
        var previousLeaf = ""
        var caRotations = 0, retired = 0
        for now in stride(from: start, through: start + 200, by: 2) {
            let before = try await fixture.injectedBundles()
            let report = try await controller.reconcile(now: now)
            caRotations += report.steps.filter { if case .addedNewCA = $0 { true } else { false } }.count
            retired += report.steps.filter { if case .retiredCA = $0 { true } else { false } }.count
            let stored = try #require(try await fixture.storedFiles())
            // Whatever a client read before this pass, and whatever it reads now, verifies the old and new leaf.
            let after = try await fixture.injectedBundles()
            #expect(after.allSatisfy { $0 != nil })
            for pem in (after + before).compactMap({ $0 }) {
                try CertificateVerifier.verify(leafPEM: stored.certificatePEM, bundlePEM: pem, dnsName: "wh.es.svc", at: now)
                if !previousLeaf.isEmpty {
                    try CertificateVerifier.verify(leafPEM: previousLeaf, bundlePEM: pem, dnsName: "wh.es.svc", at: now)
                }
            }
            #expect(controller.readiness(at: now).isReady, "\(controller.readiness(at: now))")
            previousLeaf = stored.certificatePEM
        }
        #expect(caRotations >= 2)
        #expect(retired >= 1)
    }

    @Test func overwrittenBundleIsReinjectedByTheWatch() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        // A one-hour check interval: only the watch can repair the bundle within the test.
        let controller = CertController(configuration: kubeConfiguration(certDirectory: directory, interval: 3600),
                                        kube: fixture.kube, logger: testLogger)
        let loop = Task { await controller.run() }
        defer { loop.cancel() }
        #expect(try await eventually { controller.readiness.isReady })
        let stored = try #require(try await fixture.storedFiles())
        try await fixture.overwriteFirstBundle()
        #expect(try await eventually {
            try await fixture.injectedBundles() == Array(repeating: stored.caCertificatePEM, count: 4)
        })
        #expect(try await eventually { controller.readiness.isReady })
    }

    @Test func shortValiditiesRotateInTheRunLoop() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let controller = CertController(configuration: kubeConfiguration(certDirectory: directory, ca: 3600, cert: 6, interval: 1),
                                        kube: fixture.kube, logger: testLogger)
        let loop = Task { await controller.run() }
        defer { loop.cancel() }
        #expect(try await eventually { controller.readiness.isReady })
        let first = try CertificateFiles.read(fromDirectory: directory)
        // Renewal happens with less than 2 s of 6 s left.
        #expect(try await eventually {
            (try? CertificateFiles.read(fromDirectory: directory))?.certificatePEM != first.certificatePEM
        })
        let renewed = try CertificateFiles.read(fromDirectory: directory)
        #expect(renewed.caCertificatePEM == first.caCertificatePEM)
        try CertificateVerifier.verify(leafPEM: renewed.certificatePEM, bundlePEM: renewed.caCertificatePEM,
                                       dnsName: "wh.es.svc", at: UnixTime.now())
    }

    @Test func twoReplicasShareOneSecretAndOneLeaderWrites() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let first = try temporaryDirectory(), second = try temporaryDirectory()
        defer { removeDirectory(first); removeDirectory(second) }
        var configA = kubeConfiguration(certDirectory: first, interval: 1, leaderElection: true)
        configA.identity = "replica-a"
        var configB = kubeConfiguration(certDirectory: second, interval: 1, leaderElection: true)
        configB.identity = "replica-b"
        let a = CertController(configuration: configA, kube: fixture.kube, logger: testLogger)
        let b = CertController(configuration: configB, kube: fixture.kube, logger: testLogger)
        let loopA = Task { await a.run() }
        let loopB = Task { await b.run() }
        defer { loopA.cancel(); loopB.cancel() }
        #expect(try await eventually { a.readiness.isReady && b.readiness.isReady })
        let servedA = try CertificateFiles.read(fromDirectory: first)
        let servedB = try CertificateFiles.read(fromDirectory: second)
        #expect(servedA == servedB)
        let lease = try await fixture.kube.get(.leases, namespace: "default", name: "external-secrets-cert-controller")
        let holder = try #require(lease[path: ["spec", "holderIdentity"]]?.stringValue)
        #expect(["replica-a", "replica-b"].contains(holder))
        // Exactly one CA was ever issued: both replicas serve material from the same single issuance.
        #expect(try CertificateInspector.inspect(pem: servedA.caCertificatePEM).count == 1)

        // The leader stops (releasing the Lease); the other takes over and still repairs the bundle.
        let (stopped, survivor) = holder == "replica-a" ? (loopA, b) : (loopB, a)
        stopped.cancel()
        await stopped.value
        #expect(try await eventually {
            let current = try await fixture.kube.get(.leases, namespace: "default", name: "external-secrets-cert-controller")
            return current[path: ["spec", "holderIdentity"]]?.stringValue == survivor.configuration.identity
        })
        try await fixture.overwriteFirstBundle()
        let stored = try #require(try await fixture.storedFiles())
        #expect(try await eventually {
            try await fixture.injectedBundles() == Array(repeating: stored.caCertificatePEM, count: 4)
        })
    }
}
