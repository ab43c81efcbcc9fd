import ESJSON
import ESKube
import ESTestAPIServer
import Testing

/// Collects `count` events from a watch stream.
func collect(_ stream: AsyncThrowingStream<WatchEvent, any Error>, count: Int,
             skipBookmarks: Bool = true) async throws -> [WatchEvent] {
    var events: [WatchEvent] = []
    for try await event in stream {
        if skipBookmarks, event.type == .bookmark { continue }
        events.append(event)
        if events.count == count { break }
    }
    return events
}

@Suite struct WatchTests {
    @Test func watchStreamsChangesAndResumes() async throws {
        try await withAPIServer { server, client in
            let initial = try await client.create(.secrets, namespace: "default", secret("a"))
            let startVersion = try #require(initial[path: ["metadata", "resourceVersion"]]?.stringValue)

            let stream = client.watch(.secrets, namespace: "default", resourceVersion: startVersion)
            let watcher = Task { try await collect(stream, count: 3) }
            while server.store.openWatchCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            _ = try await client.create(.secrets, namespace: "default", secret("b"))
            _ = try await client.patch(.secrets, namespace: "default", name: "a", type: .merge, ["metadata": ["labels": ["x": "y"]]])
            try await client.delete(.secrets, namespace: "default", name: "b")
            let events = try await watcher.value
            #expect(events.map(\.type) == [.added, .modified, .deleted])
            #expect(events.map { $0.object[path: ["metadata", "name"]]?.stringValue } == ["b", "a", "b"])

            // Resuming from the resourceVersion of the first event replays the rest from history.
            let resumed = try await collect(client.watch(.secrets, namespace: "default",
                                                         resourceVersion: events[0].resourceVersion), count: 2)
            #expect(resumed.map(\.type) == [.modified, .deleted])

            // Without a resourceVersion the watch starts with the current state as ADDED events.
            let fresh = try await collect(client.watch(.secrets, namespace: "default", resourceVersion: nil), count: 1)
            #expect(fresh.first?.type == .added)
            #expect(fresh.first?.object[path: ["metadata", "name"]]?.stringValue == "a")
        }
    }

    @Test func compactedHistoryGivesGone() async throws {
        try await withAPIServer { server, client in
            let object = try await client.create(.secrets, namespace: "default", secret("a"))
            _ = try await client.patch(.secrets, namespace: "default", name: "a", type: .merge, ["metadata": ["labels": ["v": "2"]]])
            server.store.compactHistory()
            let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue
            do {
                _ = try await collect(client.watch(.secrets, namespace: "default", resourceVersion: rv), count: 1)
                Issue.record("expected 410")
            } catch let error as KubeError {
                #expect(error.isGone)
                #expect(error.code == 410)
                #expect(error.message.hasPrefix("too old resource version: \(rv ?? "")"))
            }
        }
    }

    @Test func bookmarksAndMetadataOnlyWatch() async throws {
        try await withAPIServer(options: TestAPIServerOptions(bookmarkInterval: .milliseconds(50))) { server, client in
            let created = try await client.create(.secrets, namespace: "default", secret("m", data: ["k": "v"]))
            let stream = client.watch(.secrets, namespace: "default", resourceVersion: created[path: ["metadata", "resourceVersion"]]?.stringValue,
                                      allowBookmarks: true, metadataOnly: true)
            let watcher = Task { () -> WatchEvent? in
                for try await event in stream where event.type == .modified { return event }
                return nil
            }
            while server.store.openWatchCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            _ = try await client.patch(.secrets, namespace: "default", name: "m", type: .merge, ["data": ["k": "dzI="]])
            let modified = try #require(try await watcher.value)
            #expect(modified.object["kind"]?.stringValue == "PartialObjectMetadata")
            #expect(modified.object["data"] == nil)
            // A bookmark eventually arrives too (the server sends one every 50 ms).
            let more = try await collect(client.watch(.secrets, namespace: "default", resourceVersion: modified.resourceVersion),
                                         count: 1, skipBookmarks: false)
            #expect(more.first?.type == .bookmark)
        }
    }

    @Test func labelSelectedWatchSeesObjectsLeaveAndEnter() async throws {
        try await withAPIServer { server, client in
            let object = try await client.create(.configMaps, namespace: "default",
                                                 ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "labels": ["team": "a"]]])
            let stream = client.watch(.configMaps, namespace: "default",
                                      resourceVersion: object[path: ["metadata", "resourceVersion"]]?.stringValue,
                                      labelSelector: "team=a")
            let watcher = Task { try await collect(stream, count: 2) }
            while server.store.openWatchCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            _ = try await client.patch(.configMaps, namespace: "default", name: "c", type: .merge, ["metadata": ["labels": ["team": "b"]]])
            _ = try await client.patch(.configMaps, namespace: "default", name: "c", type: .merge, ["metadata": ["labels": ["team": "a"]]])
            #expect(try await watcher.value.map(\.type) == [.deleted, .added])
        }
    }
}
