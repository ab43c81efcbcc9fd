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
