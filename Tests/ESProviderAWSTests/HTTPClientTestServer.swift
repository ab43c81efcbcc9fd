import Foundation

/// The python fixture server (Fixtures/http_test_server.py) on an ephemeral loopback port.
final class HTTPClientTestServer: Sendable {
    let process: TestProcess
    let baseURL: String

    private init(process: TestProcess, baseURL: String) {
        self.process = process
        self.baseURL = baseURL
    }

    static func start(tls certificates: TestCertificates? = nil) async throws -> HTTPClientTestServer {
        var args = [TestProcess.fixtures.appendingPathComponent("http_test_server.py").path]
        if let certificates {
            let d = certificates.directory
            args += ["--cert", d + "/server.crt", "--key", d + "/server.key", "--client-ca", d + "/ca.crt"]
        }
        let process = try TestProcess("python3", args)
        let port = await process.firstLine()
        let scheme = certificates == nil ? "http" : "https"
        return HTTPClientTestServer(process: process, baseURL: "\(scheme)://127.0.0.1:\(port)")
    }

    func stop() { process.stop() }
}
