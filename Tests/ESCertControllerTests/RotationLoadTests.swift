import ESCertController
import ESCertificates
import ESHTTP
import ESHTTPClient
import ESServer
import ESTLS
import Foundation
import Logging
import Synchronization
import Testing

/// Clients that re-read the caBundle from the webhook configuration before every new connection keep calling a
/// TLS server that hot-reloads the cert-controller's directory, through forced serving-certificate and CA
/// rotations. Not one request may fail. `bench/cert-rotation-load.sh` runs it with 100 rotations
/// (`ES_ROTATION_LOAD_COUNT`); the default here is a quick 6.
@Suite struct RotationLoadTests {
    struct OK: HTTPHandler {
        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            .json(200, Array(#"{"allowed":true}"#.utf8))
        }
    }

    struct Tally {
        var requests = 0
        var failures = 0
        var errors: [String] = []
    }

    /// The bundles one client has read, to answer "what did the webhook configuration hold `lag` ago".
    final class BundleHistory: Sendable {
        private let reads = Mutex<[(ContinuousClock.Instant, String?)]>([])

        func use(_ bundle: String?, lag: Duration) -> String? {
            let now = ContinuousClock.now
            return reads.withLock { reads in
                reads.append((now, bundle))
                // Keep the newest read that is at least `lag` old (or the oldest one we have).
                while reads.count > 1 && now - reads[1].0 >= lag { reads.removeFirst() }
                return reads[0].1
            }
        }
    }

    final class Shared: Sendable {
        let done = Mutex(false)
        let tally = Mutex(Tally())
    }

    @Test func noRequestFailsThroughForcedRotations() async throws {
        let rotations = ProcessInfo.processInfo.environment["ES_ROTATION_LOAD_COUNT"].flatMap { Int($0) } ?? 6
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        // A new CA is published for one check interval before the serving certificate switches to it; the clients
        // trust bundles `lag` old. On a loaded machine a client's loop can take over a second, which stretches its
        // effective lag, so the interval keeps a wide margin over the nominal lag.
        var config = kubeConfiguration(certDirectory: directory, ca: 3600, cert: 12, interval: 2)
        config.ipAddresses = ["127.0.0.1"]
        var quiet = Logger(label: "rotation-load")
        quiet.logLevel = .warning
        // The cluster topology: the leader writes the Secret and injects the bundle; the server is fed by another
        // replica that only follows the Secret (watch) into its own certificate directory.
        let leaderDirectory = try temporaryDirectory()
        defer { removeDirectory(leaderDirectory) }
        var leaderConfig = config
        leaderConfig.certDirectory = leaderDirectory
        let controller = CertController(configuration: leaderConfig, kube: fixture.kube, logger: quiet)
        let follower = CertController(
            configuration: config,
            storage: SecretCertificateStorage(kube: fixture.kube, namespace: "default", name: config.secretName, logger: quiet),
            targets: WebhookBundleTargets(kube: fixture.kube, validatingNames: config.validatingWebhookConfigurations,
                                          mutatingNames: config.mutatingWebhookConfigurations, labelSelector: nil,
                                          conversionCRDNames: [], logger: quiet),
            leadership: FixedLeadership(false), logger: quiet)
        let loop = Task { await controller.run() }
        let followerLoop = Task { await follower.run() }
        defer { loop.cancel(); followerLoop.cancel() }
        #expect(try await eventually { controller.readiness.isReady && follower.readiness.isReady })

        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, tls: TLSConfiguration(certDirectory: directory, reloadInterval: .milliseconds(100)),
                eventLoopCount: 1, name: "webhook"),
            handler: OK(), logger: quiet)
        try server.start()
        let url = "https://127.0.0.1:\(server.port)/validate-external-secrets-io-v1-externalsecret"

        let shared = Shared()
        let lag = Duration.milliseconds(
            ProcessInfo.processInfo.environment["ES_ROTATION_LOAD_LAG_MS"].flatMap { Int($0) } ?? 400)
        let clients = (0..<2).map { _ in
            Task {
                let history = BundleHistory()
                while !shared.done.withLock({ $0 }) {
                    let outcome: String?
                    do {
                        // A new connection per request, trusting what the webhook configuration held `lag` ago: the
                        // apiserver's webhook client sees caBundle changes through an informer, i.e. late.
                        let read = try await fixture.injectedBundles().first ?? nil
                        let bundle = history.use(read, lag: lag)
                        let client = HTTPClient(tls: HTTPClientTLS(caPEM: bundle), defaultTimeout: .seconds(5))
                        let response = try await client.execute(HTTPClientRequest(
                            method: "POST", url: url, headers: [("Connection", "close"), ("Content-Type", "application/json")],
                            body: Array("{}".utf8)))
                        outcome = response.status == 200 ? nil : "status \(response.status)"
                    } catch {
                        outcome = "\(error)"
                    }
                    shared.tally.withLock { tally in
                        tally.requests += 1
                        if let outcome {
                            tally.failures += 1
                            if tally.errors.count < 5 { tally.errors.append(outcome) }
                        }
                    }
                }
            }
        }

        for index in 0..<rotations {
            controller.requestRotation(index % 2 == 0 ? .certificate : .certificateAuthority)
            #expect(try await eventually(seconds: 30) { !controller.hasPendingRotationRequest })
            try await Task.sleep(for: .milliseconds(150))
        }
        // Let the last CA hand-over finish, with clients still running.
        #expect(try await eventually(seconds: 30) {
            guard let files = try await fixture.storedFiles(), let bundle = try await fixture.injectedBundles().first ?? nil,
                  let newest = try CertificateInspector.certificateBlocks(pem: files.caCertificatePEM).last
            else { return false }
            return CertificateVerifier.isValid(leafPEM: files.certificatePEM, bundlePEM: newest, dnsName: nil, at: UnixTime.now())
                && bundle == files.caCertificatePEM
        })
        // With no more rotations, every old CA leaves the bundle once its certificates expired (clients keep going).
        #expect(try await eventually(seconds: 30) {
            guard let files = try await fixture.storedFiles() else { return false }
            return try CertificateInspector.inspect(pem: files.caCertificatePEM).count == 1
        })
        try await Task.sleep(for: .milliseconds(500))
        shared.done.withLock { $0 = true }
        for client in clients { await client.value }
        await server.shutdown(gracePeriod: .seconds(1))

        let result = shared.tally.withLock { $0 }
        let counts = controller.rotationCounts
        print("rotation load (bundle lag \(lag)): \(rotations) forced rotations requested; \(counts.reissuedCertificates) new serving "
              + "certificates, \(counts.newCAs) new CAs, \(counts.retiredCAs) CAs retired; \(result.requests) requests "
              + "over new connections, \(result.failures) failed \(result.errors)")
        #expect(result.failures == 0, "\(result.errors)")
        #expect(result.requests >= rotations)
        #expect(counts.newCAs >= rotations / 2)
        #expect(counts.retiredCAs == counts.newCAs)
        // Every requested renewal plus one switch to each new CA.
        #expect(counts.reissuedCertificates >= (rotations + 1) / 2 + rotations / 2)
    }
}
