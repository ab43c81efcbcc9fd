import ArgumentParser
import ESJSON
import ESKube
import Foundation

/// `external-secrets bench-informer` (hidden): lists and watches Secrets through an informer, the
/// way the controller tracks the Secrets it manages, and reports the time until the cache synced
/// and this process's memory. Run by `bench/kube-informer.sh` against `test-apiserver`.
struct BenchInformerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-informer",
        abstract: "Measure informer list+watch: time to synced cache and RSS.",
        shouldDisplay: false)

    @Option(help: "Path to a kubeconfig.")
    var kubeconfig: String?

    @Option(help: "Namespace to watch (default: all).")
    var namespace: String?

    @Option(help: "List page size.")
    var pageSize: Int = 500

    @Flag(help: "Cache whole Secrets instead of metadata only.")
    var fullObjects = false

    @Option(help: "Keep watching this many seconds after the sync before reporting.")
    var settleSeconds: Double = 1

    func run() async throws {
        let config = try KubeConfig.load(kubeconfigPath: kubeconfig, context: nil)
        let client = KubeClient(config: config, qps: 200, burst: 400)
        let before = ProcessMemory.current()
        let clock = ContinuousClock()
        let start = clock.now
        let informer = Informer(client: client, kind: .secrets, namespace: namespace, metadataOnly: !fullObjects,
                                pageSize: pageSize)
        let running = Task { await informer.run() }
        guard await informer.waitForSync(timeout: .seconds(600)) else {
            running.cancel()
            throw ValidationError("informer did not sync within 600 s")
        }
        let syncDuration = clock.now - start
        let objects = informer.count
        try await Task.sleep(for: .milliseconds(Int(settleSeconds * 1000)))
        let after = ProcessMemory.current()
        running.cancel()
        let seconds = Double(syncDuration.components.seconds) + Double(syncDuration.components.attoseconds) / 1e18
        let report: JSON = [
            "objects": .number(JSONNumber(objects)),
            "metadataOnly": .bool(!fullObjects),
            "pageSize": .number(JSONNumber(pageSize)),
            "syncSeconds": .number(JSONNumber(text: String(format: "%.3f", seconds))),
            "rssBeforeKiB": .number(JSONNumber(before.rssKiB)),
            "rssAfterKiB": .number(JSONNumber(after.rssKiB)),
            "peakRssKiB": .number(JSONNumber(after.peakKiB)),
            "cpuSeconds": .number(JSONNumber(text: String(format: "%.3f", ProcessMemory.cpuSeconds()))),
        ]
        print(report.serializedString(JSONWriteOptions(sortKeys: false, indent: "  ")))
    }
}

/// Resident set size from /proc/self/status, CPU time from getrusage.
struct ProcessMemory {
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    var rssKiB: Int
    var peakKiB: Int

    static func current() -> ProcessMemory {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return ProcessMemory(rssKiB: 0, peakKiB: 0)
        }
        func field(_ name: String) -> Int {
            for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
                return Int(line.dropFirst(name.count + 1).split(whereSeparator: \.isWhitespace).first ?? "") ?? 0
            }
            return 0
        }
        return ProcessMemory(rssKiB: field("VmRSS"), peakKiB: field("VmHWM"))
    }
}
