import Foundation

/// A child process started by a test (python servers, moto_server, openssl), stopped by `stop()`.
final class TestProcess: @unchecked Sendable {
    let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The first line the process prints (read on a plain thread, not the cooperative pool).
    func firstLine() async -> String {
        let handle = stdoutPipe.fileHandleForReading
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes: [UInt8] = []
                while true {
                    let data = handle.readData(ofLength: 1)
                    if data.isEmpty || data.first == UInt8(ascii: "\n") { break }
                    bytes.append(contentsOf: data)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    func stop() {
        if process.isRunning { process.terminate() }
        try? stdinPipe.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Runs a command to completion; returns its exit status.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], directory: String? = nil) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [executable] + arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "es-aws-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with the openssl CLI.
struct TestCertificates {
    let directory: String
    var caPEM: String { (try? String(contentsOfFile: directory + "/ca.crt", encoding: .utf8)) ?? "" }
    var clientCertPEM: String { (try? String(contentsOfFile: directory + "/client.crt", encoding: .utf8)) ?? "" }
    var clientKeyPEM: String { (try? String(contentsOfFile: directory + "/client.key", encoding: .utf8)) ?? "" }

    static func make() throws -> TestCertificates {
        let dir = try TestProcess.temporaryDirectory()
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: dir + "/server.ext", atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: dir + "/client.ext", atomically: true, encoding: .utf8)
        try TestProcess.run("openssl", ["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                                                               "-subj", "/CN=es-test-ca"], directory: dir)
        for name in ["server", "client"] {
            try TestProcess.run("openssl", ["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr",
                                                          "-subj", "/CN=es-test-\(name)"], directory: dir)
            try TestProcess.run("openssl", ["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                                            "-CAcreateserial", "-out", "\(name).crt", "-days", "2",
                                            "-extfile", "\(name).ext"], directory: dir)
        }
        return TestCertificates(directory: dir)
    }
}
