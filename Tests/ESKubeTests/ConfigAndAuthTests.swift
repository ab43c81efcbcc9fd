import ESHTTPClient
import ESJSON
import ESKube
import ESTestAPIServer
import Foundation
import Testing

@Suite struct ConfigAndAuthTests {
    @Test func kubeconfigVariants() async throws {
        try await withAPIServer { server, _ in
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try server.caPEM.write(toFile: dir + "/ca.crt", atomically: true, encoding: .utf8)
            try server.token.write(toFile: dir + "/token", atomically: true, encoding: .utf8)
            let text = """
                apiVersion: v1
                kind: Config
                current-context: file-based
                clusters:
                - name: with-ca-file
                  cluster:
                    server: \(server.url)/
                    certificate-authority: ca.crt
                - name: insecure
                  cluster:
                    server: \(server.url)
                    insecure-skip-tls-verify: true
                users:
                - name: token-file
                  user:
                    tokenFile: token
                - name: inline
                  user:
                    token: \(server.token)
                contexts:
                - name: file-based
                  context: {cluster: with-ca-file, user: token-file, namespace: team-a}
                - name: insecure
                  context: {cluster: insecure, user: inline}

                """
            let path = dir + "/config"
            try text.write(toFile: path, atomically: true, encoding: .utf8)

            let fileBased = try KubeConfig.load(kubeconfigPath: path, context: nil)
            #expect(fileBased.server == server.url)
            #expect(fileBased.namespace == "team-a")
            #expect(fileBased.tls.caFile == dir + "/ca.crt")
            _ = try await KubeClient(config: fileBased).get(.namespaces, namespace: nil, name: "default")

            let insecure = try KubeConfig.load(kubeconfigPath: path, context: "insecure")
            #expect(insecure.tls.insecureSkipVerify)
            #expect(insecure.namespace == "default")
            _ = try await KubeClient(config: insecure).get(.namespaces, namespace: nil, name: "default")

            #expect(throws: KubeConfigError.self) { try KubeConfig.load(kubeconfigPath: path, context: "nope") }
            #expect(throws: KubeConfigError.self) { try KubeConfig.load(kubeconfigPath: dir + "/missing", context: nil) }

            // Without a CA the server's certificate is refused.
            var untrusted = insecure
            untrusted.tls = HTTPClientTLS()
            await #expect(throws: (any Error).self) {
                _ = try await KubeClient(config: untrusted, retryPolicy: .none).get(.namespaces, namespace: nil, name: "default")
            }
            // A wrong token gets a typed 401.
            var wrongToken = fileBased
            wrongToken.credentials = .token("wrong")
            let unauthorized = await expectKubeError {
                _ = try await KubeClient(config: wrongToken).get(.namespaces, namespace: nil, name: "default")
            }
            #expect(unauthorized?.isUnauthorized == true)
        }
    }

    @Test func rotatedTokenFileIsReRead() async throws {
        try await withAPIServer { server, _ in
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            server.addToken("first-token")
            try "first-token\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
            let config = KubeConfig(server: server.url, tls: HTTPClientTLS(caPEM: server.caPEM),
                                    credentials: .tokenFile(dir + "/token"), tokenFileRefreshInterval: .seconds(3600))
            let client = KubeClient(config: config)
            _ = try await client.get(.namespaces, namespace: nil, name: "default")

            // The kubelet rotates the projected token; the old one stops working. The client's next
            // request gets 401, re-reads the file and succeeds.
            server.addToken("second-token")
            server.removeToken("first-token")
            try "second-token\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
            server.clearRequests()
            _ = try await client.get(.namespaces, namespace: nil, name: "default")
            #expect(server.requests.count == 2)
        }
    }

    @Test func inClusterConfiguration() async throws {
        try await withAPIServer { server, _ in
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try server.caPEM.write(toFile: dir + "/ca.crt", atomically: true, encoding: .utf8)
            try server.token.write(toFile: dir + "/token", atomically: true, encoding: .utf8)
            try "external-secrets".write(toFile: dir + "/namespace", atomically: true, encoding: .utf8)
            let port = String(server.url.split(separator: ":").last ?? "")
            let config = try KubeConfig.inCluster(serviceAccountDirectory: dir,
                                                  environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": port])
            #expect(config.namespace == "external-secrets")
            #expect(config.server == server.url)
            _ = try await KubeClient(config: config).get(.namespaces, namespace: nil, name: "default")
            #expect(throws: KubeConfigError.self) { try KubeConfig.inCluster(serviceAccountDirectory: dir, environment: [:]) }
        }
    }

    @Test func execCredentialPlugin() async throws {
        try await withAPIServer { server, _ in
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let script = """
                #!/bin/sh
                # Proves KUBERNETES_EXEC_INFO is passed and env entries are applied.
                case "$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) exit 3 ;; esac
                echo run >> "\(dir)/runs"
                printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$TEST_TOKEN"

                """
            try script.write(toFile: dir + "/plugin.sh", atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/plugin.sh")
            let ca = Data(server.caPEM.utf8).base64EncodedString()
            let text = """
                apiVersion: v1
                kind: Config
                current-context: exec
                clusters:
                - name: c
                  cluster: {server: "\(server.url)", certificate-authority-data: \(ca)}
                users:
                - name: u
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./plugin.sh
                      env:
                      - name: TEST_TOKEN
                        value: \(server.token)
                      interactiveMode: Never
                contexts:
                - name: exec
                  context: {cluster: c, user: u}

                """
            try text.write(toFile: dir + "/config", atomically: true, encoding: .utf8)
            let config = try KubeConfig.load(kubeconfigPath: dir + "/config", context: nil)
            let client = KubeClient(config: config)
            _ = try await client.get(.namespaces, namespace: nil, name: "default")
            _ = try await client.get(.namespaces, namespace: nil, name: "kube-system")
            // The credential is cached until it expires: the plugin ran once.
            let runs = try String(contentsOfFile: dir + "/runs", encoding: .utf8)
            #expect(runs == "run\n")
        }
    }
}

@Suite struct ResilienceTests {
    @Test func retriesServerErrorsAndHonoursRetryAfter() async throws {
        try await withAPIServer { server, client in
            server.faults.failNext(2, status: 500, method: "GET")
            _ = try await client.get(.namespaces, namespace: nil, name: "default")
            server.faults.failNext(1, status: 429, method: "POST", retryAfterSeconds: 1)
            let clock = ContinuousClock()
            let start = clock.now
            _ = try await client.create(.secrets, namespace: "default", secret("after-429"))
            #expect(clock.now - start >= .seconds(1))
            #expect(server.requests.filter { $0.hasPrefix("POST") }.count == 2)

            // A POST that failed with a plain 500 may have been applied: it is not retried.
            server.faults.failNext(1, status: 500, method: "POST")
            let error = await expectKubeError { _ = try await client.create(.secrets, namespace: "default", secret("once")) }
            #expect(error?.code == 500)

            // Retries are bounded.
            server.faults.failNext(100, status: 503, method: "GET")
            let limited = KubeClient(config: client.config, retryPolicy: RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(1)))
            server.clearRequests()
            let exhausted = await expectKubeError { _ = try await limited.get(.namespaces, namespace: nil, name: "default") }
            #expect(exhausted?.code == 503)
            #expect(server.requests.count == 3)
            server.faults.reset()
        }
    }

    @Test func clientSideRateLimit() async throws {
        try await withAPIServer(qps: 20, burst: 2) { _, client in
            // Burst 2 then 20/s: eight requests need at least (8 - 2) / 20 s = 300 ms.
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<8 { _ = try await client.get(.namespaces, namespace: nil, name: "default") }
            #expect(clock.now - start >= .milliseconds(290))
        }
    }

    @Test func connectionErrorsAreRetriedThenSurface() async throws {
        let config = KubeConfig(server: "https://127.0.0.1:1", tls: HTTPClientTLS(insecureSkipVerify: true), credentials: .token("x"))
        let client = KubeClient(config: config, retryPolicy: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(1)))
        await #expect(throws: HTTPClientError.self) { _ = try await client.get(.namespaces, namespace: nil, name: "default") }
    }
}
