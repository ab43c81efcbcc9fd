import ESJSON
import ESKube
import ESTestAPIServer
import Foundation
import Testing

/// Runs kubectl against a kubeconfig on its own thread (never blocking the cooperative pool the
/// in-process API server needs); returns (exit status, stdout, stderr).
func kubectl(_ kubeconfig: String, _ args: [String], stdin: String? = nil) async throws -> (Int32, String, String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runKubectl(kubeconfig, args, stdin: stdin) })
        }
    }
}

private func runKubectl(_ kubeconfig: String, _ args: [String], stdin: String?) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["kubectl", "--kubeconfig", kubeconfig, "--request-timeout=20s"] + args
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    var environment = ProcessInfo.processInfo.environment
    environment["KUBECACHEDIR"] = (kubeconfig as NSString).deletingLastPathComponent + "/cache"
    process.environment = environment
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdoutData, as: UTF8.self), String(decoding: stderrData, as: UTF8.self))
}

func kubectlAvailable() -> Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl") }

@Suite struct KubectlTests {
    @Test(.enabled(if: kubectlAvailable())) func kubectlGetApplyPatchDelete() async throws {
        try await withAPIServer { server, _ in
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let kubeconfig = dir + "/kubeconfig"
            try server.writeKubeconfig(to: kubeconfig)

            var (status, out, err) = try await kubectl(kubeconfig, ["get", "secrets"])
            #expect(status == 0)

            let manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: app
                data:
                  mode: blue

                """
            (status, out, err) = try await kubectl(kubeconfig, ["apply", "-f", "-"], stdin: manifest)
            #expect(status == 0)
            #expect(out.contains("configmap/app created"))
            (status, out, err) = try await kubectl(kubeconfig, ["apply", "-f", "-"], stdin: manifest.replacingOccurrences(of: "blue", with: "green"))
            #expect(out.contains("configmap/app configured"))
            #expect(server.store.object("configmaps", namespace: "default", name: "app")?[path: ["data", "mode"]] == "green")

            (status, out, err) = try await kubectl(kubeconfig, ["patch", "configmap", "app", "--type=merge", "-p", #"{"data":{"extra":"1"}}"#])
            #expect(out.contains("configmap/app patched"))
            (status, out, err) = try await kubectl(kubeconfig, ["patch", "configmap", "app", "--type=json",
                                                          "-p", #"[{"op":"replace","path":"/data/mode","value":"red"}]"#])
            #expect(out.contains("configmap/app patched"))
            (status, out, err) = try await kubectl(kubeconfig, ["get", "configmap", "app", "-o", "jsonpath={.data.mode}/{.data.extra}"])
            #expect(out == "red/1")

            (status, out, err) = try await kubectl(kubeconfig, ["get", "configmaps"])
            #expect(out.contains("app"))

            (status, out, err) = try await kubectl(kubeconfig, ["delete", "configmap", "app"])
            #expect(out.contains("configmap \"app\" deleted"))
            (status, out, err) = try await kubectl(kubeconfig, ["get", "configmap", "app"])
            #expect(status != 0)
            #expect(err.contains("configmaps \"app\" not found"))
        }
    }

    @Test(.enabled(if: kubectlAvailable())) func kubectlServerSideApplyAndWatch() async throws {
        try await withAPIServer { server, client in
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let kubeconfig = dir + "/kubeconfig"
            try server.writeKubeconfig(to: kubeconfig)

            let manifest = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: ssa
                stringData:
                  key: value

                """
            var (status, out, err) = try await kubectl(kubeconfig, ["apply", "--server-side", "-f", "-"], stdin: manifest)
            #expect(status == 0, "\(err)")
            #expect(out.contains("secret/ssa serverside-applied"))
            #expect(server.store.object("secrets", namespace: "default", name: "ssa")?[path: ["data", "key"]] == "dmFsdWU=")
            (status, out, err) = try await kubectl(kubeconfig, ["get", "secret", "ssa", "-o", "jsonpath={.metadata.managedFields[0].manager}"])
            #expect(out == "kubectl")

            // `kubectl get --watch` prints the existing object, then changes as they happen.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["kubectl", "--kubeconfig", kubeconfig, "get", "secrets", "--watch", "-o", "name"]
            var environment = ProcessInfo.processInfo.environment
            environment["KUBECACHEDIR"] = dir + "/cache"
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            let collected = Locked<String>("")
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let text = String(decoding: handle.availableData, as: UTF8.self)
                collected.withLock { $0 += text }
            }
            try await eventually { collected.withLock { $0.contains("secret/ssa") } && server.store.openWatchCount > 0 }
            _ = try await client.create(.secrets, namespace: "default", secret("watched"))
            try await eventually { collected.withLock { $0.contains("secret/watched") } }
            process.terminate()
            process.waitUntilExit()
            pipe.fileHandleForReading.readabilityHandler = nil
        }
    }

    @Test(.enabled(if: kubectlAvailable())) func kubectlShowsCustomResourcePrinterColumns() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try YAMLText.crd.write(toFile: dir + "/crd.yaml", atomically: true, encoding: .utf8)
        try await withAPIServer(options: TestAPIServerOptions(crdDirectory: dir)) { server, client in
            let kubeconfig = dir + "/kubeconfig"
            try server.writeKubeconfig(to: kubeconfig)
            let created = try await client.create(widgets, namespace: "default",
                                                  ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w1"]])
            var withStatus = created
            withStatus["status"] = ["conditions": [["type": "Ready", "status": "True"]]]
            _ = try await client.updateStatus(widgets, namespace: "default", withStatus)
            let (status, out, err) = try await kubectl(kubeconfig, ["get", "widgets"])
            #expect(status == 0, "\(err)")
            let lines = out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["NAME", "READY"])
            #expect(lines.dropFirst().first == ["w1", "True"])
        }
    }
}
