import ESCertController
import Testing

@Suite struct CertDurationTests {
    @Test func parsesGoSyntaxPlusDaysAndYears() throws {
        #expect(try CertDuration.parse("1m") == .seconds(60))
        #expect(try CertDuration.parse("720h") == .seconds(30 * 86400))
        #expect(try CertDuration.parse("30d") == .seconds(30 * 86400))
        #expect(try CertDuration.parse("1y") == .seconds(365 * 86400))
        #expect(try CertDuration.parse("1h30m") == .seconds(5400))
        #expect(try CertDuration.parse("1.5s") == .milliseconds(1500))
        #expect(try CertDuration.parse("250ms") == .milliseconds(250))
    }

    @Test func rejectsBadText() {
        for text in ["", "5", "m", "1x", "-1s", "1s2", "99999999999999y"] {
            #expect(throws: CertDuration.ParseError.self) { try CertDuration.parse(text) }
        }
        #expect(throws: CertDuration.ParseError(description: "duration \"0s\" must be positive")) {
            try CertDuration.parse("0s")
        }
    }

    @Test func formats() {
        #expect(CertDuration.format(.seconds(30 * 86400)) == "30d")
        #expect(CertDuration.format(.seconds(365 * 86400)) == "1y")
        #expect(CertDuration.format(.seconds(90)) == "90s")
        #expect(CertDuration.format(.milliseconds(1500)) == "1500ms")
        #expect(CertDuration.approximate(seconds: 2_591_990) == "29d23h")
        #expect(CertDuration.approximate(seconds: 250) == "4m10s")
        #expect(CertDuration.approximate(seconds: 0) == "0s")
        #expect(CertDuration.approximate(seconds: -12) == "-12s")
    }

    @Test func servingNames() {
        #expect(ServingNames.dnsNames(serviceName: "wh", serviceNamespace: "es", extra: ["x.y", "wh.es.svc"])
                == ["wh.es.svc", "wh.es.svc.cluster.local", "x.y"])
    }
}
