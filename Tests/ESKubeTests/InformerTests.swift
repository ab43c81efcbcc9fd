import ESJSON
import ESKube
import ESTestAPIServer
import Testing

/// Records handler calls.
actor EventLog {
    var entries: [String] = []
    func add(_ entry: String) { entries.append(entry) }
    func contains(_ entry: String) -> Bool { entries.contains(entry) }
}

func eventually(_ condition: () async -> Bool) async throws {
    for _ in 0..<2000 {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("condition not met within 10 s")
}

@Suite struct InformerTests {
    @Test func informerSyncsWatchesAndRelistsAfterGone() async throws {
        try await withAPIServer { server, client in
            for i in 0..<5 {
                _ = try await client.create(.secrets, namespace: "default", secret("s\(i)", labels: ["group": i < 2 ? "a" : "b"]))
            }
            let log = EventLog()
            let informer = Informer(client: client, kind: .secrets, namespace: "default", metadataOnly: true, pageSize: 2)
            await informer.addHandler(InformerHandler(
                onAdd: { await log.add("add \($0[path: ["metadata", "name"]]?.stringValue ?? "")") },
                onUpdate: { _, new in await log.add("update \(new[path: ["metadata", "name"]]?.stringValue ?? "")") },
                onDelete: { await log.add("delete \($0[path: ["metadata", "name"]]?.stringValue ?? "")") }))
            let running = Task { await informer.run() }
            defer { running.cancel() }
            #expect(await informer.waitForSync())
            #expect(informer.count == 5)
            #expect(informer.list(label: "group", value: "a").count == 2)
            #expect(informer.get(namespace: "default", name: "s3")?["kind"]?.stringValue == "PartialObjectMetadata")

            _ = try await client.create(.secrets, namespace: "default", secret("s5", labels: ["group": "a"]))
            try await eventually { await log.contains("add s5") }
            #expect(informer.list(label: "group", value: "a").count == 3)
            try await client.delete(.secrets, namespace: "default", name: "s0")
            try await eventually { await log.contains("delete s0") }

            // Lose history and the watch: the informer's resume gets 410 and it re-lists, noticing
            // the deletion that happened while it was disconnected.
            while server.store.openWatchCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            server.faults.failNext(1_000, status: 503, targetContains: "watch=true")
            server.store.dropWatches()
            let secrets = try #require(server.store.resourceType(group: "", resource: "secrets"))
            _ = try server.store.delete(secrets, namespace: "default", name: "s1")
            server.store.compactHistory()
            server.faults.reset()
            try await eventually { await log.contains("delete s1") }
            #expect(informer.listCount >= 2)
            #expect(informer.keys == ["default/s2", "default/s3", "default/s4", "default/s5"])
        }
    }

    @Test func resyncReplaysCachedObjects() async throws {
        try await withAPIServer { _, client in
            _ = try await client.create(.configMaps, namespace: "default", ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "r"]])
            let log = EventLog()
            let informer = Informer(client: client, kind: .configMaps, namespace: "default", resyncPeriod: .milliseconds(50))
            await informer.addHandler(InformerHandler(onUpdate: { old, new in
                if old == new { await log.add("resync \(new[path: ["metadata", "name"]]?.stringValue ?? "")") }
            }))
            let running = Task { await informer.run() }
            defer { running.cancel() }
            try await eventually { await log.contains("resync r") }
        }
    }
}
