import ESHTTPClient
import Foundation
import Testing

/// HTTP/2 over TLS against nginx (skipped when nginx is not installed).
@Suite("HTTPClient HTTP/2 against nginx")
struct HTTPClientHTTP2Tests {
    static let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func freePort() throws -> Int {
        let p = Process()
        let out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"]
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    @Test(.enabled(if: HTTPClientHTTP2Tests.nginx != nil))
    func negotiatesHTTP2AndMultiplexes() async throws {
        let certs = try TestCertificates.make()
        let dir = certs.directory
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try Self.freePort()
        let conf = """
            daemon off;
            worker_processes 1;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path \(dir)/body; proxy_temp_path \(dir)/proxy; fastcgi_temp_path \(dir)/fcgi;
              uwsgi_temp_path \(dir)/uwsgi; scgi_temp_path \(dir)/scgi;
              server {
                listen 127.0.0.1:\(port) ssl http2;
                ssl_certificate \(dir)/server.crt;
                ssl_certificate_key \(dir)/server.key;
                location / { return 200 "proto=$server_protocol conn=$connection\\n"; }
              }
            }
            """
        try conf.write(toFile: dir + "/nginx.conf", atomically: true, encoding: .utf8)
        let server = try TestProcess(Self.nginx ?? "nginx", ["-p", dir, "-c", dir + "/nginx.conf", "-e", dir + "/error.log"])
        defer { server.stop() }
        let client = HTTPClient(tls: HTTPClientTLS(caPEM: certs.caPEM))
        let url = "https://127.0.0.1:\(port)/"
        var first: HTTPClientResponse?
        for _ in 0..<50 {
            first = try? await client.execute(HTTPClientRequest(url: url))
            if first != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let response = try #require(first)
        #expect(response.status == 200)
        #expect(response.body.text.hasPrefix("proto=HTTP/2.0"))

        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await client.execute(HTTPClientRequest(url: url)).body.text } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(bodies.count == 20)
        #expect(bodies.allSatisfy { $0.hasPrefix("proto=HTTP/2.0") })
        // Multiplexed: twenty concurrent requests share few connections (nginx's $connection serial).
        let connections = Set(bodies.map { $0.split(separator: "=").last ?? "" })
        #expect(connections.count < 20)
    }
}
