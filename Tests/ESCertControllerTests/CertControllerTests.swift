import ESCertController
import ESCertificates
import Foundation
import Testing

@Suite struct CertControllerStandaloneTests {
    @Test func firstStartIssuesAndRestartKeepsTheMaterial() async throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let config = configuration(certDirectory: directory)
        let controller = CertController.standalone(configuration: config, logger: testLogger)
        #expect(!controller.readiness.isReady)
        let first = try await controller.reconcile()
        #expect(first.saved)
        #expect(first.steps == [.issuedNewCAAndCertificate(reason: "no certificates stored")])
        let files = try CertificateFiles.read(fromDirectory: directory)
        #expect(files.caKeyPEM != nil)
        try CertificateVerifier.verify(files, dnsName: "wh.es.svc", at: UnixTime.now())
        #expect(controller.readiness.isReady, "\(controller.readiness)")

        let restarted = CertController.standalone(configuration: config, logger: testLogger)
        let second = try await restarted.reconcile()
        #expect(second.steps.isEmpty)
        #expect(!second.saved)
        #expect(try CertificateFiles.read(fromDirectory: directory) == files)
    }

    @Test func expiryApproachingRenewsTheServingCertificate() async throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let config = configuration(certDirectory: directory, ca: 300, cert: 30, interval: 5)
        let controller = CertController.standalone(configuration: config, logger: testLogger)
        let start = UnixTime.now()
        try await controller.reconcile(now: start)
        let original = try CertificateFiles.read(fromDirectory: directory)
        // Ready needs validity for one more interval: fine now, not 26 s later.
        #expect(controller.readiness(at: start).isReady)
        #expect(!controller.readiness(at: start + 26).isReady)
        let renewed = try await controller.reconcile(now: start + 21)
        guard case .reissuedCertificate = renewed.steps.first else {
            Issue.record("expected a renewal, got \(renewed.steps)")
            return
        }
        let files = try CertificateFiles.read(fromDirectory: directory)
        #expect(files.caCertificatePEM == original.caCertificatePEM)
        #expect(files.certificatePEM != original.certificatePEM)
        #expect(controller.readiness(at: start + 26).isReady)
    }

    @Test func certificatesWithoutACAKeyAreLeftAlone() async throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        var provided = try CertificateIssuer.issue(dnsNames: ["wh.es.svc", "wh.es.svc.cluster.local"], ipAddresses: [],
                                                   caValidity: .seconds(3600), certificateValidity: .seconds(600))
        provided.caKeyPEM = nil
        try provided.write(toDirectory: directory)
        let controller = CertController.standalone(configuration: configuration(certDirectory: directory), logger: testLogger)
        let report = try await controller.reconcile()
        #expect(report.steps.isEmpty && !report.saved)
        #expect(try CertificateFiles.read(fromDirectory: directory) == provided)
        #expect(controller.readiness.isReady)
    }

    @Test func runLoopBecomesReadyAndStopsOnCancellation() async throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let controller = CertController.standalone(
            configuration: configuration(certDirectory: directory, ca: 3600, cert: 600, interval: 1), logger: testLogger)
        let loop = Task { await controller.run() }
        let ready = try await eventually(seconds: 60) { controller.readiness.isReady }
        loop.cancel()
        await loop.value
        #expect(ready)
    }
}

@Suite struct CertControllerClusterTests {
    @Test func leaderStoresInjectsAndServesWithoutTheCAKey() async throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let storage = InMemoryStorage(), targets = InMemoryTargets(count: 3)
        let controller = CertController(configuration: configuration(certDirectory: directory), storage: storage,
                                        targets: targets, logger: testLogger)
        let report = try await controller.reconcile()
        #expect(report.saved && report.injected == 3 && report.wroteCertificateDirectory)
        let stored = try #require(storage.files)
        #expect(targets.all == Array(repeating: stored.caCertificatePEM, count: 3))
        let served = try CertificateFiles.read(fromDirectory: directory)
        #expect(served.caKeyPEM == nil)
        #expect(served.certificatePEM == stored.certificatePEM)
        #expect(controller.readiness.isReady, "\(controller.readiness)")

        // Restart: nothing is re-issued or re-injected.
        let again = try await CertController(configuration: configuration(certDirectory: directory), storage: storage,
                                             targets: targets, logger: testLogger).reconcile()
        #expect(again.steps.isEmpty && !again.saved && again.injected == 0 && !again.wroteCertificateDirectory)
        #expect(storage.saves == 1)
    }

    @Test func overwrittenBundleMakesItUnreadyUntilReinjected() async throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let storage = InMemoryStorage(), targets = InMemoryTargets(count: 2)
        let controller = CertController(configuration: configuration(certDirectory: directory), storage: storage,
                                        targets: targets, logger: testLogger)
        try await controller.reconcile()
        let stranger = try CertificateIssuer.issueCertificateAuthority(validity: .seconds(3600))
        targets.overwrite(1, with: stranger.certificatePEM)
        let refreshed = try await controller.reconcile()
        #expect(refreshed.injected == 1)
        #expect(targets.all[1] == storage.files?.caCertificatePEM)
        #expect(controller.readiness.isReady)
    }

    @Test func readinessIsFalseWhileAWebhookBundleCannotVerifyTheServedCertificate() async throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let storage = InMemoryStorage(), targets = InMemoryTargets(count: 2)
        // A follower never injects: it only observes.
        let follower = CertController(configuration: configuration(certDirectory: directory), storage: storage,
                                      targets: targets, leadership: FixedLeadership(false), logger: testLogger)
        let first = try await follower.reconcile()
        #expect(first.steps.isEmpty && !first.saved)
        #expect(!follower.readiness.isReady)

        let leaderDirectory = try temporaryDirectory()
        defer { removeDirectory(leaderDirectory) }
        let leader = CertController(configuration: configuration(certDirectory: leaderDirectory), storage: storage,
                                    targets: targets, leadership: FixedLeadership(true), logger: testLogger)
        try await leader.reconcile()
        try await follower.reconcile()
        #expect(follower.readiness.isReady, "\(follower.readiness)")
        #expect(try CertificateFiles.read(fromDirectory: directory) == CertificateFiles.read(fromDirectory: leaderDirectory))

        let stranger = try CertificateIssuer.issueCertificateAuthority(validity: .seconds(3600))
        targets.overwrite(0, with: stranger.certificatePEM)
        try await follower.reconcile()
        #expect(!follower.readiness.isReady)
        #expect(follower.readiness.reason.contains("webhook 0"))
        try await leader.reconcile()
        try await follower.reconcile()
        #expect(follower.readiness.isReady)
    }

    @Test func caRotationWaitsForEveryBundleBeforeSwitchingTheServingCertificate() async throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let storage = InMemoryStorage(), targets = InMemoryTargets(count: 2)
        let config = configuration(certDirectory: directory, ca: 90, cert: 30, interval: 2)
        let controller = CertController(configuration: config, storage: storage, targets: targets, logger: testLogger)
        let start = UnixTime.now()
        try await controller.reconcile(now: start)
        // Keep the serving certificate fresh until the CA needs rotation (less than 30 s of 90 s left).
        try await controller.reconcile(now: start + 21)
        try await controller.reconcile(now: start + 42)
        let beforeRotation = try #require(storage.files)
        let rotation = try await controller.reconcile(now: start + 61)
        #expect(rotation.steps.first.map { if case .addedNewCA = $0 { true } else { false } } == true)
        let during = try #require(storage.files)
        #expect(during.certificatePEM == beforeRotation.certificatePEM)
        #expect(try CertificateInspector.inspect(pem: during.caCertificatePEM).count == 2)

        // Someone reverts one webhook to the old bundle: the switch must wait.
        targets.overwrite(1, with: beforeRotation.caCertificatePEM)
        // Planning sees the reverted bundle first, so it waits; the injection in the same pass repairs it.
        let blocked = try await controller.reconcile(now: start + 64)
        #expect(blocked.steps == [.waitingForBundlePropagation])
        #expect(blocked.injected == 1)
        let switched = try await controller.reconcile(now: start + 65)
        guard case .reissuedCertificate = switched.steps.first else {
            Issue.record("expected the switch to the new CA, got \(switched.steps)")
            return
        }
        let after = try #require(storage.files)
        for bundle in targets.all {
            try CertificateVerifier.verify(leafPEM: after.certificatePEM, bundlePEM: try #require(bundle),
                                           dnsName: "wh.es.svc", at: start + 65)
            try CertificateVerifier.verify(leafPEM: beforeRotation.certificatePEM, bundlePEM: try #require(bundle),
                                           dnsName: "wh.es.svc", at: start + 65)
        }
        // The old CA leaves once the last certificate it signed has expired.
        let retired = try await controller.reconcile(now: start + 61 + 31)
        #expect(retired.steps.contains { if case .retiredCA = $0 { true } else { false } })
        #expect(try CertificateInspector.inspect(pem: #require(storage.files).caCertificatePEM).count == 1)
    }
}

@Suite struct CertControllerCertificateDirectoryTests {
    @Test func aReadOnlyCertificateDirectoryDoesNotFailTheReconcile() async throws {
        let parent = try temporaryDirectory()
        defer { removeDirectory(parent) }
        let directory = parent + "/mounted"
        // A file where the directory should be: every write fails, like a read-only Secret volume.
        FileManager.default.createFile(atPath: directory, contents: Data())
        let storage = InMemoryStorage(), targets = InMemoryTargets(count: 1)
        let controller = CertController(configuration: configuration(certDirectory: directory), storage: storage,
                                        targets: targets, logger: testLogger)
        let report = try await controller.reconcile()
        #expect(report.saved && report.injected == 1 && !report.wroteCertificateDirectory)
        #expect(!controller.readiness.isReady)
    }
}
