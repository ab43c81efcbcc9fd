import ArgumentParser
import ESCommands
import Foundation
import Testing

@Suite struct RenderCommandTests {
    let externalSecret = """
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: db
          namespace: apps
        spec:
          target:
            name: db-credentials
            template:
              type: kubernetes.io/basic-auth
              metadata:
                labels:
                  app: "{{ .username | lower }}"
              data:
                DATABASE_URL: "postgresql://{{ .username }}:{{ .password }}@db:5432/app"
              templateFrom:
              - configMap:
                  name: tpl
                  items:
                  - key: config.yaml
        """
    let configMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: tpl}
        data:
          config.yaml: "user: {{ .username }}"
        """

    func run(_ args: [String], files: [String: String]) throws -> String {
        let command = try RenderCommand.parse(args)
        return try command.render { path in
            guard let text = files[path] else { throw CocoaError(.fileNoSuchFile) }
            return text
        }
    }

    func expected(user: String) -> String {
        let url = Data("postgresql://\(user):s3cr3t@db:5432/app".utf8).base64EncodedString()
        let config = Data("user: \(user)".utf8).base64EncodedString()
        return """
            apiVersion: v1
            kind: Secret
            metadata:
              name: db-credentials
              namespace: apps
              labels:
                app: \(user.lowercased())
            type: kubernetes.io/basic-auth
            data:
              DATABASE_URL: \(url)
              config.yaml: \(config)

            """
    }

    @Test func rendersEsoctlBase64Data() throws {
        let out = try run(["-f", "es.yaml", "--data", "data.json", "--template-from", "cm.yaml"], files: [
            "es.yaml": externalSecret, "cm.yaml": configMap,
            "data.json": #"{"username": "QWRtaW4=", "password": "czNjcjN0"}"#,
        ])
        #expect(out == expected(user: "Admin"))
    }

    @Test func rendersPlainYAMLData() throws {
        let out = try run(["-f", "es.yaml", "--data", "data.yaml", "--template-from", "cm.yaml"], files: [
            "es.yaml": externalSecret, "cm.yaml": configMap, "data.yaml": "username: Bob\npassword: s3cr3t\n",
        ])
        #expect(out == expected(user: "Bob"))
    }

    @Test func plainFormatForcedForBase64LookingValues() throws {
        let out = try run(["-f", "es.yaml", "--data", "d.json", "--data-format", "plain", "--template-from", "cm.yaml"], files: [
            "es.yaml": externalSecret, "cm.yaml": configMap, "d.json": #"{"username": "abcd", "password": "s3cr3t"}"#,
        ])
        #expect(out.contains("app: abcd"))
    }

    @Test func reportsTemplateErrorsAndMissingSources() throws {
        #expect(throws: (any Error).self) {
            _ = try run(["-f", "es.yaml", "--data", "d.yaml"], files: ["es.yaml": externalSecret, "d.yaml": "username: a\npassword: b\n"])
        }
        do {
            _ = try run(["-f", "es.yaml", "--data", "d.yaml", "--template-from", "cm.yaml"],
                        files: ["es.yaml": externalSecret, "cm.yaml": configMap, "d.yaml": "username: a\n"])
            Issue.record("expected a template error")
        } catch {
            #expect("\(error)".contains("map has no entry for key \"password\""))
        }
    }

    @Test func withoutTemplateCopiesDataAndMetadata() throws {
        let es = """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: plain, labels: {team: a}}
            spec: {}
            """
        let out = try run(["-f", "es.yaml", "--data", "d.json"], files: ["es.yaml": es, "d.json": #"{"k": "dg=="}"#])
        #expect(out == "apiVersion: v1\nkind: Secret\nmetadata:\n  name: plain\n  labels:\n    team: a\ntype: Opaque\ndata:\n  k: dg==\n")
    }
}
