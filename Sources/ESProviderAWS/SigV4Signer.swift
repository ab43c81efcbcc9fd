import ESJSON

/// AWS Signature Version 4 (header signing), as specified by AWS and exercised by the aws4_testsuite.
public struct SigV4Signer: Sendable {
    public var service: String
    public var region: String
    /// Remove `.`/`..` segments and duplicate slashes from the path before signing (every service but S3).
    public var normalizePath: Bool

    public init(service: String, region: String, normalizePath: Bool = true) {
        self.service = service
        self.region = region
        self.normalizePath = normalizePath
    }

    /// The intermediate and final products of signing one request.
    public struct Signature: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var authorization: String
        /// The request's headers plus `X-Amz-Date` / `X-Amz-Security-Token` (when missing) and `Authorization`.
        public var headers: [(String, String)]
    }

    /// Signs a request. `path` is the request path as sent (before `?`), `query` the raw query string, and
    /// `headers` must include `Host`. Headers named `X-Amz-Date` / `X-Amz-Security-Token` are added when absent.
    public func sign(method: String, path: String, query: String?, headers: [(String, String)], body: [UInt8],
                     credentials: AWSCredentials, at time: AWSTimestamp) -> Signature {
        var headers = headers
        let has = { (name: String) in headers.contains { $0.0.lowercased() == name } }
        if !has("x-amz-date") { headers.append(("X-Amz-Date", time.amzDate)) }
        if let token = credentials.sessionToken, !has("x-amz-security-token") {
            headers.append(("X-Amz-Security-Token", token))
        }
        let amzDate = headers.first { $0.0.lowercased() == "x-amz-date" }?.1 ?? time.amzDate
        let dateStamp = String(amzDate.prefix(8))

        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        let payloadHash = HexEncoding.lowercase(AWSCrypto.sha256(body))
        let canonicalRequest = [
            method.uppercased(),
            canonicalURI(path),
            Self.canonicalQuery(query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(dateStamp)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256",
            amzDate,
            scope,
            HexEncoding.lowercase(AWSCrypto.sha256(Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")

        let key = signingKey(secret: credentials.secretAccessKey, dateStamp: dateStamp)
        let signature = HexEncoding.lowercase(AWSCrypto.hmacSHA256(key: key, Array(stringToSign.utf8)))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        headers.append(("Authorization", authorization))
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign,
                         authorization: authorization, headers: headers)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    func signingKey(secret: String, dateStamp: String) -> [UInt8] {
        var key = AWSCrypto.hmacSHA256(key: Array("AWS4\(secret)".utf8), Array(dateStamp.utf8))
        key = AWSCrypto.hmacSHA256(key: key, Array(region.utf8))
        key = AWSCrypto.hmacSHA256(key: key, Array(service.utf8))
        return AWSCrypto.hmacSHA256(key: key, Array("aws4_request".utf8))
    }

    func canonicalURI(_ path: String) -> String {
        let raw = path.isEmpty ? "/" : path
        guard normalizePath else { return AWSPercentEncoding.encode(raw, keepSlash: true) }
        var segments: [Substring] = []
        for segment in raw.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        var normalized = "/" + segments.joined(separator: "/")
        if !segments.isEmpty && raw.hasSuffix("/") { normalized += "/" }
        return AWSPercentEncoding.encode(normalized, keepSlash: true)
    }

    static func canonicalQuery(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = AWSPercentEncoding.decode(parts[0])
            let value = parts.count > 1 ? AWSPercentEncoding.decode(parts[1]) : ""
            pairs.append((AWSPercentEncoding.encode(name), AWSPercentEncoding.encode(value)))
        }
        pairs.sort { $0.0 != $1.0 ? Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8))
                                  : Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8)) }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Lower-cased names sorted; values trimmed with inner whitespace runs collapsed; repeats joined by ",".
    static func canonicalHeaders(_ headers: [(String, String)]) -> (canonical: String, signed: String) {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            if values[key] == nil { order.append(key) }
            values[key, default: []].append(collapseWhitespace(value))
        }
        order.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let canonical = order.map { "\($0):\((values[$0] ?? []).joined(separator: ","))\n" }.joined()
        return (canonical, order.joined(separator: ";"))
    }

    static func collapseWhitespace(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for ch in value {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            }
        }
        return out
    }
}
