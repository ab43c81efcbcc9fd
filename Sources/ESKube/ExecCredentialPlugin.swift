import ESJSON
import Foundation

/// A `client.authentication.k8s.io/v1` exec credential plugin from a kubeconfig `user.exec` block.
public struct ExecCredentialPlugin: Sendable {
    public var command: String
    public var args: [String]
    public var env: [(String, String)]
    public var apiVersion: String
    public var installHint: String?

    public init(command: String, args: [String] = [], env: [(String, String)] = [],
                apiVersion: String = "client.authentication.k8s.io/v1", installHint: String? = nil) {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
        self.installHint = installHint
    }

    init(_ exec: JSON, baseDirectory: String) throws {
        guard let command = exec["command"]?.stringValue, !command.isEmpty else {
            throw KubeConfigError("invalid configuration: exec plugin: command must be specified")
        }
        // client-go resolves a relative command containing a path separator against the kubeconfig directory.
        self.command = command.contains("/") ? KubeconfigParser.resolve(command, baseDirectory) : command
        args = exec["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        env = (exec["env"]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry["name"]?.stringValue else { return nil }
            return (name, entry["value"]?.stringValue ?? "")
        }
        apiVersion = exec["apiVersion"]?.stringValue ?? "client.authentication.k8s.io/v1"
        guard ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"].contains(apiVersion) else {
            throw KubeConfigError("exec plugin: invalid apiVersion \"\(apiVersion)\"")
        }
        installHint = exec["installHint"]?.stringValue
    }

    /// What one run of the plugin produced.
    struct Credential: Sendable {
        var token: String?
        var clientCertificatePEM: String?
        var clientKeyPEM: String?
        /// Unix seconds; nil means valid until a 401.
        var expiresAt: Double?
    }

    /// Runs the plugin (off the cooperative pool) and decodes its `ExecCredential` output.
    func run() async throws -> Credential {
        let plugin = self
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try plugin.runBlocking() })
            }
        }
    }

    private func runBlocking() throws -> Credential {
        let process = Process()
        if command.contains("/") {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = args
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [command] + args
        }
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in env { environment[name] = value }
        environment["KUBERNETES_EXEC_INFO"] =
            "{\"apiVersion\":\"\(apiVersion)\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}"
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            var message = "exec: executable \(command) not found"
            if let installHint { message += "\n\n\(installHint)" }
            throw KubeConfigError(message)
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        _ = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw KubeConfigError("exec: executable \(command) failed with exit code \(process.terminationStatus)")
        }
        let json: JSON
        do { json = try JSON.parse([UInt8](output)) } catch {
            throw KubeConfigError("exec: decoding stdout: \(error)")
        }
        guard json["kind"]?.stringValue == "ExecCredential" else {
            throw KubeConfigError("exec: decoding stdout: expected kind ExecCredential")
        }
        if let version = json["apiVersion"]?.stringValue, version != apiVersion {
            throw KubeConfigError("exec plugin is configured to use API version \(apiVersion), plugin returned version \(version)")
        }
        let status = json["status"] ?? [:]
        let credential = Credential(
            token: status["token"]?.stringValue,
            clientCertificatePEM: status["clientCertificateData"]?.stringValue,
            clientKeyPEM: status["clientKeyData"]?.stringValue,
            expiresAt: status["expirationTimestamp"]?.stringValue.flatMap(KubeTime.parse))
        if credential.token == nil && credential.clientCertificatePEM == nil {
            throw KubeConfigError("exec: plugin didn't return a token or cert/key pair")
        }
        return credential
    }
}
