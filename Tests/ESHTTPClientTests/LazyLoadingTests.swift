import ESHTTP
@testable import ESHTTPClient
import ESServer
import Foundation
import Logging
import Testing

/// libcurl is not linked: the first HTTPClient opens it with dlopen (Sources/CCurl/shim.c).
@Suite("libcurl loaded on first use")
struct LazyLoadingTests {
    struct Hello: HTTPHandler {
        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            .text(200, "hello \(request.method) \(request.target)")
        }
    }

    @Test func clientWorksAfterLoadingLibcurlAtRunTime() async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1),
                                handler: Hello(), logger: Logger(label: "lazy-curl-test"))
        try server.start()
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient().execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/ping?x=1"))
        } catch {
            await server.shutdown(gracePeriod: .seconds(1))
            throw error
        }
        await server.shutdown(gracePeriod: .seconds(1))

        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hello GET /ping?x=1")
        #expect(throws: Never.self) { try HTTPClient.ensureLibraryLoaded() }
        // Opened by dlopen, so it is mapped now (as the versioned file, e.g. libcurl.so.4.8.0).
        let libcurlMapped = try processMaps().contains("/libcurl.so.4")
        #expect(libcurlMapped)
    }

    @Test func installedLibcurlProvidesEveryFunctionTheClientUses() {
        #expect(CurlLibrary.check(soname: "libcurl.so.4") == nil)
    }

    @Test func missingLibraryGivesAClearError() throws {
        let error = try #require(CurlLibrary.check(soname: "libcurl-es-missing.so.4"))
        #expect(error.kind == .libraryUnavailable)
        #expect(error.description == "libcurl-es-missing.so.4 could not be loaded: libcurl-es-missing.so.4: cannot open shared "
            + "object file: No such file or directory; install libcurl4 (Debian: apt-get install libcurl4-openssl-dev)")
    }

    @Test func libraryWithoutCurlFunctionsIsRejected() throws {
        let error = try #require(CurlLibrary.check(soname: "libc.so.6"))
        #expect(error.kind == .libraryUnavailable)
        #expect(error.description.hasPrefix("libc.so.6 could not be loaded: "))
        #expect(error.description.contains("undefined symbol: curl_global_init"))
    }

    /// /proc/self/maps, read to the end (String(contentsOfFile:) stops at 4 KiB for /proc files).
    func processMaps() throws -> String {
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        defer { try? handle.close() }
        return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    }
}
