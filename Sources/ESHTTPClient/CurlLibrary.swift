internal import CCurl

/// libcurl, opened at run time on first use (Sources/CCurl/shim.c) instead of being linked: a process that
/// never makes an outbound request (the standalone webhook server) never maps libcurl and the ~20 libraries
/// it depends on. When the library cannot be opened, every request fails with `loadError` instead of the
/// process failing to start or crashing.
enum CurlLibrary {
    /// nil once libcurl is loaded and `curl_global_init` has run (exactly once per process); otherwise why not.
    static let loadError: HTTPClientError? = {
        guard let reason = es_curl_load() else { return nil }
        return unavailable(soname: String(cString: es_curl_soname), reason: String(cString: reason))
    }()

    /// Whether `soname` opens and provides every function the client uses, without installing it.
    static func check(soname: String) -> HTTPClientError? {
        var buffer = [CChar](repeating: 0, count: 512)
        let failed = buffer.withUnsafeMutableBufferPointer { es_curl_check_library(soname, $0.baseAddress, $0.count) }
        guard failed != 0 else { return nil }
        return unavailable(soname: soname, reason: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                                          as: UTF8.self))
    }

    static func unavailable(soname: String, reason: String) -> HTTPClientError {
        HTTPClientError(kind: .libraryUnavailable,
                        message: "\(soname) could not be loaded: \(reason); install libcurl4 (Debian: apt-get install libcurl4-openssl-dev)")
    }
}
