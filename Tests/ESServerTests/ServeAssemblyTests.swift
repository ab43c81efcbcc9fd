import ArgumentParser
import ESCertificates
import ESCommands
import ESHTTP
import ESLogging
import ESMetrics
import ESServer
import ESTLS
import Foundation
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ServeAssemblyTests {
    static let review = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002",\
        "kind":{"group":"external-secrets.io","version":"v1","kind":"ExternalSecret"},"operation":"CREATE","object":{}}}
        """

    @Test func flagsMapToOptions() throws {
        let command = try ServeCommand.parse(["--port", "9443", "--health-port", "0", "--metrics-port", "0", "--host", "127.0.0.1",
                                              "--cert-dir", "/tmp/x", "--dns-name", "a.svc", "--dns-name", "b.svc",
                                              "--tls-min-version", "1.3", "--log-format", "text", "--log-level", "debug",
                                              "--max-header-bytes", "4096", "--max-body-bytes", "1000", "--idle-timeout", "1m30s",
                                              "--read-timeout", "500ms", "--max-connections", "7", "--shutdown-grace-period", "5s"])
        let options = try command.makeOptions()
        #expect(options.port == 9443 && options.healthPort == 0 && options.host == "127.0.0.1")
        #expect(options.certDirectory == "/tmp/x" && options.dnsNames == ["a.svc", "b.svc"])
        #expect(options.tlsMinimumVersion == .tls13 && options.logFormat == .text && options.logLevel == .debug)
        #expect(options.limits.maxHeaderBytes == 4096 && options.limits.maxBodyBytes == 1000 && options.limits.maxConnections == 7)
        #expect(options.limits.idleTimeout == .seconds(90) && options.limits.readTimeout == .milliseconds(500))
        #expect(options.shutdownGracePeriod == .seconds(5))

        let defaults = try ServeCommand.parse([]).makeOptions()
        #expect(defaults.port == 10250 && defaults.healthPort == 8081 && defaults.metricsPort == 8080)
        #expect(defaults.certDirectory == "certs" && defaults.tlsMinimumVersion == .tls12 && defaults.logFormat == .json)
        #expect(defaults.limits.maxHeaderBytes == 16 * 1024 && defaults.limits.maxBodyBytes == 8 * 1024 * 1024)
    }

    @Test func invalidFlagsAreRejected() {
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--tls-min-version", "1.1"]) }
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--log-format", "xml"]) }
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--idle-timeout", "soon"]) }
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--port", "70000"]) }
    }

    @Test func servesWebhookHealthAndMetricsWithGeneratedCertificates() async throws {
        MetricsSetup.bootstrapOnce()
        let root = try makeTemporaryDirectory()
        var options = ServeOptions()
        options.host = "127.0.0.1"
        options.port = 0
        options.healthPort = 0
        options.metricsPort = 0
        options.certDirectory = root + "/certs"       // missing: generated on start
        options.dnsNames = ["external-secrets-webhook.es.svc"]
        options.eventLoopCount = 2
        options.shutdownGracePeriod = .seconds(2)
        let assembly = ServerAssembly(options: options, logger: testLogger)
        try assembly.start()
        let ports = assembly.ports
        let ca = options.certDirectory + "/ca.crt"
        let path = "/validate-external-secrets-io-v1-externalsecret"

        let admitted = try await run("/usr/bin/curl", ["-sS", "--cacert", ca, "-H", "Content-Type: application/json",
                                                       "--data-binary", Self.review, "https://localhost:\(ports.webhook)\(path)"])
        let notFound = try await run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca,
                                                       "https://localhost:\(ports.webhook)/other"])
        let healthz = try await run("/usr/bin/curl", ["-sS", "http://127.0.0.1:\(ports.health)/healthz"])
        let readyz = try await run("/usr/bin/curl", ["-sS", "http://127.0.0.1:\(ports.health)/readyz?verbose"])
        let metrics = try await run("/usr/bin/curl", ["-sS", "http://127.0.0.1:\(ports.metrics)/metrics"])
        var keyInfo = stat()
        let keyMode = stat(options.certDirectory + "/tls.key", &keyInfo) == 0 ? Int(keyInfo.st_mode & 0o777) : -1
        let san = try await run("/usr/bin/openssl", ["x509", "-noout", "-ext", "subjectAltName", "-in", options.certDirectory + "/tls.crt"])
        await assembly.shutdown()

        let response = try JSONSerialization.jsonObject(with: Data(admitted.stdout.utf8)) as? [String: Any]
        let inner = response?["response"] as? [String: Any]
        #expect(inner?["uid"] as? String == "705ab4f5-6393-11e8-b7cc-42010a800002", "\(admitted.stdout) \(admitted.stderr)")
        #expect(inner?["allowed"] as? Bool == true)
        #expect(response?["kind"] as? String == "AdmissionReview")
        #expect(notFound.stdout == "404")
        #expect(healthz.stdout == "ok")
        #expect(readyz.stdout.contains("[+]webhook-certificate ok"))
        #expect(metrics.stdout.contains("controller_runtime_webhook_requests_total{code=\"200\",webhook=\"\(path)\"}"))
        #expect(metrics.stdout.contains("controller_runtime_webhook_latency_seconds_bucket{webhook=\"\(path)\""))
        #expect(metrics.stdout.contains("controller_runtime_webhook_requests_in_flight{webhook=\"\(path)\"} 0"))
        #expect(keyMode == 0o600)
        #expect(san.stdout.contains("DNS:localhost") && san.stdout.contains("DNS:external-secrets-webhook.es.svc"))
        #expect(san.stdout.contains("IP Address:127.0.0.1") && san.stdout.contains("IP Address:0:0:0:0:0:0:0:1"))
    }

    @Test func existingCertificatesAreKept() throws {
        let (directory, files) = try makeCertificateDirectory()
        var options = ServeOptions()
        options.certDirectory = directory
        let generated = try ServerAssembly(options: options, logger: testLogger).ensureCertificates()
        let current = try String(contentsOfFile: directory + "/tls.crt", encoding: .utf8)
        #expect(!generated)
        #expect(current == files.certificatePEM)
    }

    @Test func placeholderEchoesTheUID() async throws {
        let request = HTTPRequest(method: "POST", target: "/mutate-x", headers: ["Host": "h"], body: Array(Self.review.utf8))
        let response = await ServeRouter(admission: PlaceholderAdmissionHandler()).handle(request)
        guard case .bytes(let body) = response.body else { Issue.record("expected bytes"); return }
        #expect(response.status == 200)
        #expect(String(decoding: body, as: UTF8.self)
                == #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","allowed":true}}"#)
    }
}

@Suite struct StructuredLoggingTests {
    @Test func jsonLinesCarryTimestampLevelLoggerMessageAndMetadata() throws {
        let sink = LogSink.memory()
        var logger = LoggingSetup.makeLogger(label: "unit", format: .json, level: .info, sink: sink)
        logger[metadataKey: "component"] = "webhook"
        logger.info("served \"request\"", metadata: ["status": "200", "path": .stringConvertible(42)])
        logger.debug("not written at info")
        #expect(sink.lines.count == 1)
        let object = try #require(JSONSerialization.jsonObject(with: Data(sink.lines[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["logger"] as? String == "unit")
        #expect(object["msg"] as? String == "served \"request\"")
        #expect(object["status"] as? String == "200")
        #expect(object["path"] as? String == "42")
        #expect(object["component"] as? String == "webhook")
        let ts = try #require(object["ts"] as? String)
        #expect(ts.count == 24 && ts.hasSuffix("Z"))
        #expect(sink.lines[0].hasPrefix("{\"ts\":"))
    }

    @Test func textLinesAreReadable() {
        let sink = LogSink.memory()
        let logger = LoggingSetup.makeLogger(label: "unit", format: .text, level: .debug, sink: sink)
        logger.warning("cert reload failed", metadata: ["dir": "/tmp/a b"])
        #expect(sink.lines.first?.contains(" WARNING unit: cert reload failed dir=\"/tmp/a b\"") == true)
        #expect(LoggingSetup.level(named: "warn") == .warning)
        #expect(LoggingSetup.level(named: "loud") == nil)
    }
}
