internal import CCurl

/// Applies a request and its TLS settings to a (reset) easy handle.
enum CurlEasyConfiguration {
    static func apply(_ transfer: CurlTransfer, to handle: UnsafeMutableRawPointer) throws(HTTPClientError) {
        let request = transfer.request
        let userdata = Unmanaged.passUnretained(transfer).toOpaque()

        try check(request.url.withCString { es_curl_easy_setopt_ptr(handle, CURLOPT_URL, $0) }, "URL")
        try check(es_curl_easy_setopt_long(handle, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS)), "protocols")
        _ = es_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = es_curl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        _ = es_curl_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        _ = es_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(transfer.connectTimeout))
        if let total = transfer.totalTimeout {
            _ = es_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(total))
        }

        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(to: 0)
        transfer.errorBuffer = errorBuffer
        _ = es_curl_easy_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        _ = es_curl_easy_setopt_write(handle, CURLOPT_WRITEFUNCTION, CurlCallbacks.write)
        _ = es_curl_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, userdata)
        _ = es_curl_easy_setopt_write(handle, CURLOPT_HEADERFUNCTION, CurlCallbacks.header)
        _ = es_curl_easy_setopt_ptr(handle, CURLOPT_HEADERDATA, userdata)
        _ = es_curl_easy_setopt_xferinfo(handle, CurlCallbacks.progress)
        _ = es_curl_easy_setopt_ptr(handle, CURLOPT_XFERINFODATA, userdata)
        _ = es_curl_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0)

        try applyMethodAndBody(request, handle)
        try applyHeaders(request, transfer, handle)
        try applyTLS(transfer.tls, handle)
    }

    private static func applyMethodAndBody(_ request: HTTPClientRequest, _ handle: UnsafeMutableRawPointer) throws(HTTPClientError) {
        let method = request.method.uppercased()
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter }) else {
            throw HTTPClientError(kind: .invalidRequest, message: "invalid HTTP method \"\(request.method)\"")
        }
        switch method {
        case "GET" where request.body.isEmpty:
            _ = es_curl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD":
            _ = es_curl_easy_setopt_long(handle, CURLOPT_NOBODY, 1)
        default:
            if method != "GET" && method != "DELETE" || !request.body.isEmpty {
                _ = es_curl_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
                let code = request.body.withUnsafeBytes { raw -> CURLcode in
                    // COPYPOSTFIELDS copies the bytes, so the array need not outlive this call.
                    es_curl_easy_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1))
                }
                try check(code, "request body")
            }
            if method != "POST" {
                try check(method.withCString { es_curl_easy_setopt_ptr(handle, CURLOPT_CUSTOMREQUEST, $0) }, "method")
            }
        }
    }

    private static func applyHeaders(_ request: HTTPClientRequest, _ transfer: CurlTransfer,
                                     _ handle: UnsafeMutableRawPointer) throws(HTTPClientError) {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        var names = Set<String>()
        for (name, value) in request.headers {
            guard isValidHeader(name: name, value: value) else {
                if let list { curl_slist_free_all(list) }
                throw HTTPClientError(kind: .invalidRequest, message: "invalid header \"\(name)\"")
            }
            names.insert(name.lowercased())
            // "Name;" is libcurl's spelling for a header with an empty value ("Name:" would remove it).
            let line = value.isEmpty ? "\(name);" : "\(name): \(value)"
            list = curl_slist_append(list, line)
        }
        // No "Expect: 100-continue" round trip, and no implicit form content type.
        if !names.contains("expect") { list = curl_slist_append(list, "Expect:") }
        if !names.contains("content-type") { list = curl_slist_append(list, "Content-Type:") }
        transfer.headerList = list
        _ = es_curl_easy_setopt_ptr(handle, CURLOPT_HTTPHEADER, list)
    }

    private static func applyTLS(_ tls: HTTPClientTLS, _ handle: UnsafeMutableRawPointer) throws(HTTPClientError) {
        if tls.insecureSkipVerify {
            _ = es_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            _ = es_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let caFile = tls.caFile {
            try check(caFile.withCString { es_curl_easy_setopt_ptr(handle, CURLOPT_CAINFO, $0) }, "CA file")
        }
        if let caPEM = tls.caPEM {
            try setBlob(caPEM, CURLOPT_CAINFO_BLOB, handle, "CA certificate")
        }
        if let cert = tls.clientCertificatePEM {
            try setBlob(cert, CURLOPT_SSLCERT_BLOB, handle, "client certificate")
            _ = "PEM".withCString { es_curl_easy_setopt_ptr(handle, CURLOPT_SSLCERTTYPE, $0) }
        }
        if let key = tls.clientKeyPEM {
            try setBlob(key, CURLOPT_SSLKEY_BLOB, handle, "client key")
            _ = "PEM".withCString { es_curl_easy_setopt_ptr(handle, CURLOPT_SSLKEYTYPE, $0) }
        }
    }

    private static func setBlob(_ pem: String, _ option: CURLoption, _ handle: UnsafeMutableRawPointer,
                                _ what: String) throws(HTTPClientError) {
        var bytes = Array(pem.utf8)
        let code = bytes.withUnsafeMutableBytes { raw -> CURLcode in
            var blob = curl_blob(data: raw.baseAddress, len: raw.count, flags: UInt32(CURL_BLOB_COPY))
            return withUnsafeMutablePointer(to: &blob) { es_curl_easy_setopt_ptr(handle, option, $0) }
        }
        try check(code, what)
    }

    private static func isValidHeader(name: String, value: String) -> Bool {
        // Byte-wise: in Swift "\r\n" is a single Character, so Character comparisons would miss it.
        guard !name.isEmpty else { return false }
        if name.utf8.contains(where: { $0 <= 0x20 || $0 == UInt8(ascii: ":") || $0 == 0x7f }) { return false }
        return !value.utf8.contains(where: { $0 == 0x0d || $0 == 0x0a || $0 == 0 })
    }

    private static func check(_ code: CURLcode, _ what: String) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw HTTPClientError(kind: .invalidRequest, curlCode: Int(code.rawValue),
                                  message: "cannot set \(what): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        if ms.overflow || seconds < 0 { return seconds < 0 ? 1 : Int.max }
        return max(1, Int(ms.partialValue) + Int(attoseconds / 1_000_000_000_000_000))
    }
}
