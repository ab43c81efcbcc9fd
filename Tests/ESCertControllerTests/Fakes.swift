import ESCertController
import ESCertificates
import Foundation
import Logging
import Synchronization

/// A Secret-like store in memory with resourceVersion conflicts.
final class InMemoryStorage: CertificateStorage {
    private let state = Mutex<(files: CertificateFiles?, version: Int, saves: Int)>((nil, 0, 0))
    var displayName: String { "memory" }

    struct Conflict: Error {}

    func load() async throws -> StoredCertificates {
        state.withLock { StoredCertificates(files: $0.files, version: String($0.version), exists: true) }
    }

    func save(_ files: CertificateFiles, replacing previous: StoredCertificates) async throws {
        try state.withLock { state in
            guard previous.version == String(state.version) else { throw Conflict() }
            state.files = files
            state.version += 1
            state.saves += 1
        }
    }

    var files: CertificateFiles? { state.withLock { $0.files } }
    var saves: Int { state.withLock { $0.saves } }
}

/// Webhook caBundles in memory; `overwrite` plays someone else editing them.
final class InMemoryTargets: CABundleTargets {
    private let bundles: Mutex<[String?]>

    init(count: Int) {
        bundles = Mutex(Array(repeating: nil, count: count))
    }

    func currentBundles() async throws -> [InjectedBundle] {
        bundles.withLock { $0.enumerated().map { InjectedBundle(location: "webhook \($0.offset)", bundlePEM: $0.element) } }
    }

    func inject(_ bundlePEM: String) async throws -> Int {
        bundles.withLock { bundles in
            var changed = 0
            for index in bundles.indices where bundles[index] != bundlePEM {
                bundles[index] = bundlePEM
                changed += 1
            }
            return changed
        }
    }

    func changes() -> AsyncStream<Void> { AsyncStream { _ in } }

    func overwrite(_ index: Int, with pem: String?) {
        bundles.withLock { $0[index] = pem }
    }

    var all: [String?] { bundles.withLock { $0 } }
}

final class FixedLeadership: Leadership {
    let leader: Bool
    init(_ leader: Bool) { self.leader = leader }
    var isLeader: Bool { leader }
    func run() async {}
    func transitions() -> AsyncStream<Bool> { AsyncStream { $0.finish() } }
}

func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "es-certctl-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

let testLogger = Logger(label: "cert-controller-tests")

func configuration(certDirectory: String, ca: Int64 = 365 * 86400, cert: Int64 = 30 * 86400, interval: Int64 = 60)
    -> CertControllerConfiguration
{
    var configuration = CertControllerConfiguration()
    configuration.serviceName = "wh"
    configuration.serviceNamespace = "es"
    configuration.certDirectory = certDirectory
    configuration.caValidity = .seconds(ca)
    configuration.certificateValidity = .seconds(cert)
    configuration.checkInterval = .seconds(interval)
    return configuration
}
