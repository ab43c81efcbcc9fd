#if canImport(ESServer)
import ESAdmission
import ESCertificates
import ESJSON
import ESServer
import ESTLS
import Foundation
import Logging
import Testing

/// The webhook as the API server reaches it: HTTPS on a loopback port, AdmissionReview posted with curl.
@Suite struct AdmissionTLSTests {
    @Test func validatingAndMutatingOverTLS() async throws {
        guard let curl = findExecutable("curl") else {
            Issue.record("curl is required")
            return
        }
        let directory = try makeTemporaryDirectory()
        let files = try CertificateIssuer.issue(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"],
                                                caValidity: .seconds(3600), certificateValidity: .seconds(3600))
        try files.write(toDirectory: directory)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, tls: TLSConfiguration(certDirectory: directory),
                                                   eventLoopCount: 1, name: "webhook"),
            handler: AdmissionHandler(), logger: Logger(label: "test.webhook"))
        try server.start()
        defer { Task { await server.shutdown(gracePeriod: .seconds(1)) } }

        func postReview(_ path: String, _ body: [UInt8]) throws -> (status: String, body: JSON) {
            let bodyFile = directory + "/review-\(UUID().uuidString).json"
            try Data(body).write(to: URL(fileURLWithPath: bodyFile))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: curl)
            process.arguments = ["-sS", "--cacert", directory + "/ca.crt", "-H", "Content-Type: application/json",
                                 "--data-binary", "@" + bodyFile, "-w", "\n%{http_code}", "https://127.0.0.1:\(server.port)\(path)"]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            let split = text.split(separator: "\n", omittingEmptySubsequences: false)
            let status = String(split.last ?? "")
            let json = (try? JSON.parse(split.dropLast().joined(separator: "\n"))) ?? .null
            return (status, json)
        }

        for rule in externalSecretCases + storeCases {
            let (status, review) = try postReview(routePath(for: rule.kind), admissionReview(rule.json))
            #expect(status == "200", "\(rule.name)")
            #expect(review["response"]?["allowed"]?.boolValue == rule.errors.isEmpty, "\(rule.name)")
            if !rule.errors.isEmpty {
                #expect(review["response"]?["status"]?["message"]?.stringValue == rule.errors.joined(separator: "\n"), "\(rule.name)")
            }
        }
        let (mutateStatus, mutated) = try postReview(routePath(for: "ExternalSecret", webhook: "mutate"),
                                                     admissionReview(externalSecretCases[0].json))
        #expect(mutateStatus == "200")
        #expect(mutated["response"]?["patchType"] == "JSONPatch")
        let (missingStatus, _) = try postReview("/nope", admissionReview(nil, operation: "DELETE"))
        #expect(missingStatus == "404")
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
#endif
