import ESJSON
import ESKube
import ESTestAPIServer
import Testing

@Suite struct ClientVerbTests {
    @Test func createGetUpdateDeleteSecret() async throws {
        try await withAPIServer { server, client in
            let created = try await client.create(.secrets, namespace: "default", secret("db", data: ["password": "s3cr3t"]))
            #expect(created[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false)
            #expect(created[path: ["data", "password"]]?.stringValue == "czNjcjN0")
            #expect(created["stringData"] == nil)
            #expect(created["type"]?.stringValue == "Opaque")

            var fetched = try await client.get(.secrets, namespace: "default", name: "db")
            #expect(fetched[path: ["metadata", "resourceVersion"]] == created[path: ["metadata", "resourceVersion"]])

            fetched[path: ["metadata", "labels", "tier"]] = "backend"
            let updated = try await client.update(.secrets, namespace: "default", fetched)
            #expect(updated[path: ["metadata", "labels", "tier"]]?.stringValue == "backend")
            #expect(updated[path: ["metadata", "resourceVersion"]] != created[path: ["metadata", "resourceVersion"]])

            // A write with the old resourceVersion is a conflict with the real server's message.
            let stale = await expectKubeError { _ = try await client.update(.secrets, namespace: "default", fetched) }
            #expect(stale?.isConflict == true)
            #expect(stale?.code == 409)
            #expect(stale?.message == "Operation cannot be fulfilled on secrets \"db\": the object has been modified; please apply your changes to the latest version and try again")

            let duplicate = await expectKubeError { _ = try await client.create(.secrets, namespace: "default", secret("db")) }
            #expect(duplicate?.isAlreadyExists == true)
            #expect(duplicate?.message == "secrets \"db\" already exists")

            try await client.delete(.secrets, namespace: "default", name: "db")
            let missing = await expectKubeError { _ = try await client.get(.secrets, namespace: "default", name: "db") }
            #expect(missing?.isNotFound == true)
            #expect(missing?.message == "secrets \"db\" not found")
            #expect(server.store.object("secrets", namespace: "default", name: "db") == nil)
        }
    }
}

@Suite struct ClientListAndPatchTests {
    @Test func listPagingAndSelectors() async throws {
        try await withAPIServer { _, client in
            for i in 0..<7 {
                _ = try await client.create(.secrets, namespace: "default",
                                            secret("s\(i)", labels: ["app": i % 2 == 0 ? "even" : "odd", "idx": "\(i)"]))
            }
            _ = try await client.create(.namespaces, namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "other"]])
            _ = try await client.create(.secrets, namespace: "other", secret("elsewhere", namespace: "other", labels: ["app": "even"]))

            let page1 = try await client.list(.secrets, namespace: "default", limit: 3)
            #expect(page1["items"]?.arrayValue?.count == 3)
            #expect(page1[path: ["metadata", "remainingItemCount"]]?.intValue == 4)
            let token = try #require(page1[path: ["metadata", "continue"]]?.stringValue)
            let page2 = try await client.list(.secrets, namespace: "default", limit: 3, continueToken: token)
            #expect(page2["items"]?[0]?[path: ["metadata", "name"]]?.stringValue == "s3")
            // Continued pages report the first page's resourceVersion (a snapshot, as the API server does), so a
            // watch from the list's version sees what changed while the client paged.
            let firstVersion = try #require(page1[path: ["metadata", "resourceVersion"]]?.stringValue)
            var changed = try await client.get(.secrets, namespace: "default", name: "s0")
            changed["data"] = ["k": "Y2hhbmdlZA=="]
            _ = try await client.update(.secrets, namespace: "default", changed)
            let page2Again = try await client.list(.secrets, namespace: "default", limit: 3, continueToken: token)
            #expect(page2Again[path: ["metadata", "resourceVersion"]]?.stringValue == firstVersion)
            var seen: [String] = []
            for try await event in client.watch(.secrets, namespace: "default", resourceVersion: firstVersion, allowBookmarks: false) {
                seen.append(event.object[path: ["metadata", "name"]]?.stringValue ?? "")
                break
            }
            #expect(seen == ["s0"])
            let all = try await client.listAll(.secrets, namespace: "default", pageSize: 2)
            #expect(all.items.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == (0..<7).map { "s\($0)" })

            func names(_ list: JSON) -> [String] { list["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? [] }
            #expect(names(try await client.list(.secrets, namespace: "default", labelSelector: "app=even")) == ["s0", "s2", "s4", "s6"])
            #expect(names(try await client.list(.secrets, namespace: "default", labelSelector: "app==odd,idx!=3")) == ["s1", "s5"])
            #expect(names(try await client.list(.secrets, namespace: "default", labelSelector: "idx in (1, 2),app notin (odd)")) == ["s2"])
            #expect(names(try await client.list(.secrets, namespace: nil, labelSelector: "app=even")) == ["s0", "s2", "s4", "s6", "elsewhere"])
            #expect(names(try await client.list(.secrets, namespace: "default", labelSelector: "!idx")).isEmpty)
            #expect(names(try await client.list(.secrets, namespace: "default", labelSelector: "idx")).count == 7)
            #expect(names(try await client.list(.secrets, namespace: nil, fieldSelector: "metadata.namespace=other")) == ["elsewhere"])
            #expect(names(try await client.list(.secrets, namespace: "default", fieldSelector: "metadata.name=s4")) == ["s4"])

            // Like the real server, built-in list items carry no kind/apiVersion.
            #expect(page1["items"]?[0]?["kind"] == nil)
            #expect(page1["kind"]?.stringValue == "SecretList")

            let metadataOnly = try await client.list(.secrets, namespace: "default", metadataOnly: true)
            #expect(metadataOnly["kind"]?.stringValue == "PartialObjectMetadataList")
            #expect(metadataOnly["items"]?[0]?["kind"]?.stringValue == "PartialObjectMetadata")
            #expect(metadataOnly["items"]?[0]?["data"] == nil)
            #expect(metadataOnly["items"]?[0]?[path: ["metadata", "labels", "app"]]?.stringValue == "even")
        }
    }

    @Test func patchVariantsAndDryRun() async throws {
        try await withAPIServer { server, client in
            _ = try await client.create(.configMaps, namespace: "default",
                                        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cfg"], "data": ["a": "1", "b": "2"]])
            var patched = try await client.patch(.configMaps, namespace: "default", name: "cfg", type: .merge,
                                                 ["data": ["a": .null, "c": "3"]])
            #expect(patched["data"] == ["b": "2", "c": "3"])
            patched = try await client.patch(.configMaps, namespace: "default", name: "cfg", type: .json,
                                             [["op": "replace", "path": "/data/b", "value": "20"], ["op": "add", "path": "/data/d", "value": "4"]])
            #expect(patched["data"] == ["b": "20", "c": "3", "d": "4"])
            patched = try await client.patch(.configMaps, namespace: "default", name: "cfg", type: .strategicMerge,
                                             ["data": ["e": "5"], "$retainKeys": ["data"]])
            #expect(patched[path: ["data", "e"]]?.stringValue == "5")

            // Strategic merge treats finalizers as a set, unlike a JSON merge patch.
            _ = try await client.patch(.configMaps, namespace: "default", name: "cfg", type: .merge,
                                       ["metadata": ["finalizers": ["a.io/one"]]])
            let merged = try await client.patch(.configMaps, namespace: "default", name: "cfg", type: .strategicMerge,
                                                ["metadata": ["finalizers": ["b.io/two"]]])
            #expect(merged[path: ["metadata", "finalizers"]] == ["a.io/one", "b.io/two"])
            let removed = try await client.patch(.configMaps, namespace: "default", name: "cfg", type: .strategicMerge,
                                                 ["metadata": ["$deleteFromPrimitiveList/finalizers": ["a.io/one"]]])
            #expect(removed[path: ["metadata", "finalizers"]] == ["b.io/two"])
            _ = try await client.patch(.configMaps, namespace: "default", name: "cfg", type: .merge,
                                       ["metadata": ["finalizers": .null]])

            let failedTest = await expectKubeError {
                _ = try await client.patch(.configMaps, namespace: "default", name: "cfg", type: .json,
                                           [["op": "test", "path": "/data/b", "value": "nope"]])
            }
            #expect(failedTest?.code == 422)

            // Server-side apply creates, then updates, and records the field manager.
            let applied = try await client.patch(.configMaps, namespace: "default", name: "applied", type: .apply(force: true),
                                                 ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "applied"], "data": ["x": "1"]],
                                                 fieldManager: "external-secrets")
            #expect(applied[path: ["data", "x"]]?.stringValue == "1")
            #expect(applied[path: ["metadata", "managedFields"]]?[0]?["manager"]?.stringValue == "external-secrets")
            let reapplied = try await client.patch(.configMaps, namespace: "default", name: "applied", type: .apply(force: true),
                                                   ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "applied"], "data": ["x": "2"]],
                                                   fieldManager: "external-secrets")
            #expect(reapplied[path: ["data", "x"]]?.stringValue == "2")
            // Keys the manager stops applying are removed; keys another manager set survive.
            _ = try await client.patch(.configMaps, namespace: "default", name: "applied", type: .apply(force: true),
                                       ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "applied"], "data": ["x": "2", "y": "1"]],
                                       fieldManager: "external-secrets")
            _ = try await client.patch(.configMaps, namespace: "default", name: "applied", type: .apply(force: true),
                                       ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "applied"], "data": ["z": "9"]],
                                       fieldManager: "someone-else")
            let pruned = try await client.patch(.configMaps, namespace: "default", name: "applied", type: .apply(force: true),
                                                ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "applied"], "data": ["x": "3"]],
                                                fieldManager: "external-secrets")
            #expect(pruned["data"] == ["x": "3", "z": "9"])
            #expect(pruned[path: ["metadata", "managedFields"]]?.arrayValue?.first { $0["manager"] == "external-secrets" }?["fieldsV1"]
                    == ["f:data": ["f:x": [:]]])

            // dryRun=All validates and returns the object without storing it.
            let dry = try await client.create(.secrets, namespace: "default", secret("dry"), dryRun: true)
            #expect(dry[path: ["metadata", "name"]]?.stringValue == "dry")
            #expect(server.store.object("secrets", namespace: "default", name: "dry") == nil)

            // generateName, and namespaces that do not exist.
            let generated = try await client.create(.secrets, namespace: "default",
                                                    ["apiVersion": "v1", "kind": "Secret", "metadata": ["generateName": "gen-"]])
            #expect(generated[path: ["metadata", "name"]]?.stringValue?.hasPrefix("gen-") == true)
            let noNamespace = await expectKubeError { _ = try await client.create(.secrets, namespace: "missing", secret("x", namespace: "missing")) }
            #expect(noNamespace?.message == "namespaces \"missing\" not found")
            let badName = await expectKubeError { _ = try await client.create(.secrets, namespace: "default", secret("Bad_Name")) }
            #expect(badName?.isInvalid == true)
        }
    }

    @Test func finalizersAndGarbageCollection() async throws {
        try await withAPIServer { server, client in
            var owner = secret("owner")
            owner[path: ["metadata", "finalizers"]] = ["example.com/keep"]
            let createdOwner = try await client.create(.secrets, namespace: "default", owner)
            let uid = try #require(createdOwner[path: ["metadata", "uid"]]?.stringValue)
            var dependent: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "child"]]
            dependent[path: ["metadata", "ownerReferences"]] = [["apiVersion": "v1", "kind": "Secret", "name": "owner",
                                                                 "uid": .string(uid), "controller": true]]
            _ = try await client.create(.configMaps, namespace: "default", dependent)

            // Wrong UID precondition is refused.
            let precondition = await expectKubeError {
                try await client.delete(.secrets, namespace: "default", name: "owner", preconditionUID: "nope")
            }
            #expect(precondition?.isConflict == true)

            // With a finalizer, delete only marks the object.
            try await client.delete(.secrets, namespace: "default", name: "owner", preconditionUID: uid)
            var marked = try await client.get(.secrets, namespace: "default", name: "owner")
            #expect(marked[path: ["metadata", "deletionTimestamp"]] != nil)
            #expect(server.store.object("configmaps", namespace: "default", name: "child") != nil)

            // Removing the last finalizer completes deletion; the dependent is garbage collected.
            marked[path: ["metadata", "finalizers"]] = nil
            _ = try await client.update(.secrets, namespace: "default", marked)
            #expect(server.store.object("secrets", namespace: "default", name: "owner") == nil)
            #expect(server.store.object("configmaps", namespace: "default", name: "child") == nil)

            // Orphan propagation keeps dependents and strips the owner reference.
            let second = try await client.create(.secrets, namespace: "default", secret("owner2"))
            var orphan: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "orphan"]]
            orphan[path: ["metadata", "ownerReferences"]] = [["apiVersion": "v1", "kind": "Secret", "name": "owner2",
                                                              "uid": second[path: ["metadata", "uid"]] ?? .null]]
            _ = try await client.create(.configMaps, namespace: "default", orphan)
            try await client.delete(.secrets, namespace: "default", name: "owner2", propagationPolicy: "Orphan")
            let kept = try await client.get(.configMaps, namespace: "default", name: "orphan")
            #expect(kept[path: ["metadata", "ownerReferences"]] == nil)
        }
    }

    @Test func deletingANamespaceDeletesItsContents() async throws {
        try await withAPIServer { server, client in
            _ = try await client.create(.namespaces, namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "doomed"]])
            #expect(server.store.object("serviceaccounts", namespace: "doomed", name: "default") != nil)
            _ = try await client.create(.secrets, namespace: "doomed", secret("inside", namespace: "doomed"))
            try await client.delete(.namespaces, namespace: nil, name: "doomed")
            #expect(server.store.objects("secrets", namespace: "doomed").isEmpty)
            #expect(server.store.object("namespaces", namespace: nil, name: "doomed") == nil)
            let gone = await expectKubeError { _ = try await client.get(.namespaces, namespace: nil, name: "doomed") }
            #expect(gone?.isNotFound == true)
        }
    }

    @Test func tokenRequestIssuesVerifiableToken() async throws {
        try await withAPIServer { server, client in
            let token = try await client.createToken(namespace: "default", serviceAccount: "default",
                                                     audiences: ["sts.amazonaws.com"], expirationSeconds: 900)
            let claims = try #require(server.verifyServiceAccountToken(token))
            #expect(claims["sub"]?.stringValue == "system:serviceaccount:default:default")
            #expect(claims["aud"] == ["sts.amazonaws.com"])
            #expect((claims["exp"]?.intValue ?? 0) - (claims["iat"]?.intValue ?? 0) == 900)
            #expect(server.verifyServiceAccountToken(token + "x") == nil)

            let missing = await expectKubeError {
                _ = try await client.createToken(namespace: "default", serviceAccount: "nobody", audiences: [], expirationSeconds: nil)
            }
            #expect(missing?.message == "serviceaccounts \"nobody\" not found")

            // The issued token authenticates against the server too.
            let saClient = KubeClient(config: KubeConfig(server: server.url, tls: client.config.tls, credentials: .token(token)))
            let namespaces = try await saClient.list(.namespaces, namespace: nil)
            #expect((namespaces["items"]?.arrayValue?.count ?? 0) >= 4)
        }
    }

    @Test func eventsAreRecorded() async throws {
        try await withAPIServer { server, client in
            let object = try await client.create(.secrets, namespace: "default", secret("evented"))
            await client.recordEvent(regarding: object, type: .warning, reason: "UpdateFailed", action: "Reconcile",
                                     note: "could not fetch")
            let events = server.store.objects("events", group: "events.k8s.io", namespace: "default")
            #expect(events.count == 1)
            #expect(events.first?["reason"]?.stringValue == "UpdateFailed")
            #expect(events.first?[path: ["regarding", "name"]]?.stringValue == "evented")
            #expect(events.first?["type"]?.stringValue == "Warning")
        }
    }
}
