import ESJSON
import ESKube
import ESTestAPIServer
import Foundation
import Testing

/// Runs kubectl against a kubeconfig; returns (exit status, stdout, stderr).
func kubectl(_ kubeconfig: String, _ args: [String], stdin: String? = nil) throws -> (Int32, String, String) {
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

            var (status, out, err) = try kubectl(kubeconfig, ["get", "secrets"])
            #expect(status == 0)

            let manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: app
                data:
                  mode: blue

                """
            (status, out, err) = try kubectl(kubeconfig, ["apply", "--validate=false", "-f", "-"], stdin: manifest)
            #expect(status == 0)
            #expect(out.contains("configmap/app created"))
            (status, out, err) = try kubectl(kubeconfig, ["apply", "--validate=false", "-f", "-"], stdin: manifest.replacingOccurrences(of: "blue", with: "green"))
            #expect(out.contains("configmap/app configured"))
            #expect(server.store.object("configmaps", namespace: "default", name: "app")?[path: ["data", "mode"]] == "green")

            (status, out, err) = try kubectl(kubeconfig, ["patch", "configmap", "app", "--type=merge", "-p", #"{"data":{"extra":"1"}}"#])
            #expect(out.contains("configmap/app patched"))
            (status, out, err) = try kubectl(kubeconfig, ["patch", "configmap", "app", "--type=json",
                                                          "-p", #"[{"op":"replace","path":"/data/mode","value":"red"}]"#])
            #expect(out.contains("configmap/app patched"))
            (status, out, err) = try kubectl(kubeconfig, ["get", "configmap", "app", "-o", "jsonpath={.data.mode}/{.data.extra}"])
            #expect(out == "red/1")

            (status, out, err) = try kubectl(kubeconfig, ["get", "configmaps"])
            #expect(out.contains("app"))

            (status, out, err) = try kubectl(kubeconfig, ["delete", "configmap", "app"])
            #expect(out.contains("configmap \"app\" deleted"))
            (status, out, err) = try kubectl(kubeconfig, ["get", "configmap", "app"])
            #expect(status != 0)
            #expect(err.contains("configmaps \"app\" not found"))
        }
    }
}
