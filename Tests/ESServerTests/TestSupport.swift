import ESHTTP
import ESServer
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Output of an external program.
struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion (off the cooperative pool) and captures its output.
func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> ProcessOutput {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                let out = Pipe(), err = Pipe(), inPipe = Pipe()
                process.standardOutput = out
                process.standardError = err
                process.standardInput = inPipe
                try process.run()
                if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
                try? inPipe.fileHandleForWriting.close()
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                let stderr = err.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: ProcessOutput(status: process.terminationStatus,
                                                             stdout: String(decoding: stdout, as: UTF8.self),
                                                             stderr: String(decoding: stderr, as: UTF8.self)))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}

/// A fresh temporary directory.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "es-server-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

let testLogger: Logger = {
    var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    logger.logLevel = .critical
    return logger
}()

/// Echoes method, path and body length; `/slow` waits 300 ms; `/stream` streams three chunks.
struct EchoHandler: HTTPHandler {
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        switch request.path {
        case "/slow":
            try? await Task.sleep(for: .milliseconds(300))
            return .text(200, "slow done")
        case "/stream":
            let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
            Task {
                for i in 0..<3 {
                    continuation.yield(Array("chunk\(i)\n".utf8))
                    try? await Task.sleep(for: .milliseconds(20))
                }
                continuation.finish()
            }
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: .stream(stream))
        default:
            return .text(200, "\(request.method) \(request.target) \(request.body.count)")
        }
    }
}

/// Answers `/now/...` synchronously (no task) and everything else like `EchoHandler`, asynchronously;
/// `/stream-now` returns a stream from the immediate path, which the server must still deliver.
struct ImmediateEchoHandler: ImmediateHTTPHandler {
    func handle(_ request: HTTPRequest) async -> HTTPResponse { await EchoHandler().handle(request) }

    func respondImmediately(_ request: HTTPRequest) -> HTTPResponse? {
        if request.path == "/stream-now" {
            let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
            continuation.yield(Array("streamed now\n".utf8))
            continuation.finish()
            return HTTPResponse(status: 200, body: .stream(stream))
        }
        guard request.path.hasPrefix("/now/") else { return nil }
        return .text(200, "now \(request.method) \(request.target) \(request.body.count)")
    }
}

/// Runs blocking work on its own thread so it never stalls the cooperative pool the server's handlers use.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

/// A blocking TCP client for raw-protocol tests (with a receive timeout so tests never hang).
/// Reads are async and run on their own thread.
final class RawClient: @unchecked Sendable {
    let fd: Int32

    init(port: Int, receiveTimeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads until the peer closes (or the receive timeout), returning everything read.
    func readAll(limit: Int = 1 << 20) async -> String {
        await offPool { self.blockingReadAll(limit: limit) }
    }

    func read(until marker: String, count: Int = 1) async -> String {
        await offPool { self.blockingRead(until: marker, count: count) }
    }

    func isClosedByPeer() async -> Bool {
        await offPool { self.blockingIsClosedByPeer() }
    }

    private func blockingReadAll(limit: Int) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while data.count < limit {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads until `count` occurrences of `marker` were seen (or close/timeout).
    private func blockingRead(until marker: String, count: Int) -> String {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 65536)
        while text.components(separatedBy: marker).count - 1 < count {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            text += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        return text
    }

    /// True once the server has closed the connection (recv returns 0).
    private func blockingIsClosedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }
}

/// Starts a plain-HTTP server on an ephemeral loopback port.
func startPlainServer(handler: any HTTPHandler = EchoHandler(), limits: HTTPServerLimits = HTTPServerLimits()) throws -> HTTPServer {
    let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, limits: limits, eventLoopCount: 2,
                                                                   name: "test"),
                            handler: handler, logger: testLogger)
    try server.start()
    return server
}
