import ESHTTPClient
import ESKube
import Foundation
import Testing

@Suite struct KubeconfigParsingTests {
    @Test func clientCertificateDataAndFilesAreDecoded() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "KEY FROM FILE".write(toFile: dir + "/client.key", atomically: true, encoding: .utf8)
        let cert = Data("CERT PEM".utf8).base64EncodedString()
        let text = """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters:
            - name: k
              cluster:
                server: https://10.0.0.1:6443
            users:
            - name: u
              user:
                client-certificate-data: \(cert)
                client-key: client.key
            contexts:
            - name: c
              context: {cluster: k, user: u}

            """
        let config = try KubeConfig.parse(kubeconfig: text, baseDirectory: dir)
        #expect(config.tls.clientCertificatePEM == "CERT PEM")
        #expect(config.tls.clientKeyPEM == "KEY FROM FILE")
        #expect(config.server == "https://10.0.0.1:6443")
        if case .none = config.credentials {} else { Issue.record("expected no bearer credentials") }
    }

    @Test func malformedKubeconfigsGiveClearErrors() {
        func message(_ text: String) -> String? {
            do { _ = try KubeConfig.parse(kubeconfig: text); return nil } catch { return "\(error)" }
        }
        #expect(message("apiVersion: v1\nkind: Config\n")?.contains("no configuration has been provided") == true)
        #expect(message("current-context: x\ncontexts: []\n") == "context \"x\" does not exist")
        #expect(message("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster: {}\n")
                == "invalid configuration: no server found for cluster \"c\"")
        #expect(message("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: \"https://h\", certificate-authority-data: \"%%%\"}\n")
                == "invalid configuration: certificate-authority-data is not valid base64")
    }

    @Test func kubeTimeRoundTrips() {
        #expect(KubeTime.format(0) == "1970-01-01T00:00:00Z")
        #expect(KubeTime.formatMicro(1.5) == "1970-01-01T00:00:01.500000Z")
        #expect(KubeTime.parse("2026-11-23T05:24:29Z") == 1_795_411_469)
        #expect(KubeTime.parse("1970-01-01T00:00:01.250000Z") == 1.25)
        #expect(KubeTime.parse("yesterday") == nil)
    }
}
