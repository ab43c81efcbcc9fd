import ESProviderAWS
import Foundation
import Testing

/// AWS's published SigV4 test suite (botocore's tests/unit/auth/aws4_testsuite), every case.
@Suite("SigV4 aws4_testsuite")
struct SigV4TestSuiteTests {
    static let suiteDirectory = TestProcess.fixtures.appendingPathComponent("aws4_testsuite")
    static let credentials = (accessKeyID: "AKIDEXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    static var cases: [String] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: suiteDirectory.path) else { return [] }
        var found: [String] = []
        while let item = walker.nextObject() as? String {
            if item.hasSuffix(".req") { found.append(String(item.dropLast(4))) }
        }
        return found.sorted()
    }

    struct RawRequest {
        var method: String
        var path: String
        var query: String?
        var headers: [(String, String)]
        var body: [UInt8]
    }

    /// Parses the suite's `.req` format: request line, header lines (indented lines continue a header),
    /// blank line, body. The request target may contain spaces (normalize-path/get-space).
    static func parse(_ text: String) -> RawRequest? {
        let lines = text.components(separatedBy: "\n")
        guard let requestLine = lines.first, let space = requestLine.firstIndex(of: " "),
              let version = requestLine.range(of: " HTTP/", options: .backwards) else { return nil }
        let method = String(requestLine[..<space])
        let target = String(requestLine[requestLine.index(after: space)..<version.lowerBound])
        var headers: [(String, String)] = []
        var index = 1
        while index < lines.count, !lines[index].isEmpty {
            let line = lines[index]
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
            index += 1
        }
        let body = index + 1 < lines.count ? lines[(index + 1)...].joined(separator: "\n") : ""
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return RawRequest(method: method, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil,
                          headers: headers, body: Array(body.utf8))
    }

    static func read(_ name: String, _ ext: String) throws -> String {
        try String(contentsOf: suiteDirectory.appendingPathComponent(name + "." + ext), encoding: .utf8)
            .replacingOccurrences(of: "\r", with: "")
    }

    @Test func suiteIsPresent() {
        #expect(Self.cases.count == 34)   // every case in botocore 1.44.5, including normalize-path/ and post-sts-token/
    }

    @Test(arguments: SigV4TestSuiteTests.cases)
    func signsLikeTheSuite(_ name: String) throws {
        let request = try #require(Self.parse(try Self.read(name, "req")))
        let expectedCanonical = try Self.read(name, "creq")
        // As botocore does: the session token is part of the credentials when the canonical request signs it.
        let token = expectedCanonical.components(separatedBy: "\n")
            .first { $0.hasPrefix("x-amz-security-token:") }
            .map { String($0.dropFirst("x-amz-security-token:".count)) }
        let credentials = AWSCredentials(accessKeyID: Self.credentials.accessKeyID,
                                         secretAccessKey: Self.credentials.secret, sessionToken: token)
        let signer = SigV4Signer(service: "service", region: "us-east-1")
        let signature = signer.sign(method: request.method, path: request.path, query: request.query,
                                    headers: request.headers, body: request.body, credentials: credentials,
                                    at: AWSTimestamp(secondsSinceEpoch: 1_440_938_160))
        #expect(signature.canonicalRequest == expectedCanonical)
        #expect(signature.stringToSign == (try Self.read(name, "sts")))
        #expect(signature.authorization == (try Self.read(name, "authz")))
        #expect(signature.headers.last?.0 == "Authorization")
    }

    @Test func timestampFormatsTheSuiteDate() {
        let t = AWSTimestamp(secondsSinceEpoch: 1_440_938_160)
        #expect(t.amzDate == "20150830T123600Z")
        #expect(t.dateStamp == "20150830")
        #expect(AWSTimestamp(secondsSinceEpoch: 951_782_400).amzDate == "20000229T000000Z")
        #expect(AWSTimestamp.parseISO8601("2015-08-30T12:36:00Z") == t)
        #expect(AWSTimestamp.parseISO8601("2015-08-30T12:36:00.123Z") == t)
    }

    @Test func addsDateAndTokenHeadersWhenMissing() {
        let signer = SigV4Signer(service: "secretsmanager", region: "eu-west-1")
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s3cr3tKeyValue", sessionToken: "tok")
        let signature = signer.sign(method: "POST", path: "/", query: nil, headers: [("Host", "example.com")],
                                    body: Array("{}".utf8), credentials: credentials,
                                    at: AWSTimestamp(secondsSinceEpoch: 1_440_938_160))
        let names = signature.headers.map { $0.0 }
        #expect(names == ["Host", "X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(signature.authorization.hasPrefix(
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/eu-west-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature="))
        #expect(!signature.authorization.contains("s3cr3tKeyValue"))
    }
}
