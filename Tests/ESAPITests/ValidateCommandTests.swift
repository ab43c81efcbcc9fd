import ArgumentParser
import ESCommands
import ESJSON
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A fresh temporary directory.
func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/es-validate-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw ExampleError("mkdtemp failed") }
    return String(cString: made)
}

func writeFile(_ path: String, _ text: String) throws {
    guard let file = fopen(path, "wb") else { throw ExampleError("cannot write \(path)") }
    defer { fclose(file) }
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
}

func runValidate(_ arguments: [String], stdin: String? = nil) throws -> (Int32, String) {
    let command = try ValidateCommand.parse(arguments)
    return command.execute(readStandardInput: { stdin.map { Array($0.utf8) } })
}

@Suite struct ValidateCommandTests {
    @Test(arguments: externalSecretCases + storeCases)
    func webhookRule(_ rule: RuleCase) throws {
        let (code, output) = try runValidate(["-f", "-"], stdin: rule.yaml)
        let first = try #require(output.split(separator: "\n").first.map(String.init))
        if rule.errors.isEmpty {
            #expect(code == 0)
            #expect(first.hasPrefix("OK \(rule.kind) "), "\(output)")
        } else {
            #expect(code == 1)
            #expect(first.hasPrefix("INVALID \(rule.kind) "), "\(output)")
            for error in rule.errors { #expect(first.contains(error), "\(output)") }
        }
        for warning in rule.warnings { #expect(first.contains("warning: " + warning)) }
        #expect(output.hasSuffix("1 objects checked: \(rule.errors.isEmpty ? 1 : 0) valid, \(rule.errors.isEmpty ? 0 : 1) invalid, 0 skipped\n"))
    }

    @Test func examplesDirectoryIsValid() throws {
        let (code, output) = try runValidate(["-f", examplesDirectory])
        #expect(code == 0, "\(output)")
        let lines = output.split(separator: "\n")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("OK ") })
        #expect(lines.contains { $0.hasPrefix("OK ExternalSecret default/example (") && $0.hasSuffix("externalsecret-basic.yaml:2)") })
        #expect(lines.contains { $0.hasPrefix("OK ClusterSecretStore fake (") && $0.contains("isn't currently maintained") })
        #expect(lines.last?.hasPrefix("\(lines.count - 1) objects checked: \(lines.count - 1) valid, 0 invalid, 0 skipped") == true)
    }

    @Test func reportsLinesAndSkipsOtherKinds() throws {
        let dir = try makeTemporaryDirectory()
        try writeFile(dir + "/ignored.txt", "not: [valid")
        _ = mkdir(dir + "/nested", 0o755)
        try writeFile(dir + "/nested/app.yml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cm
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: bad
        spec:
          target:
            creationPolicy: Foo
          data:
          - secretKey: a
            remoteRef:
              key: k
          - secretKey: a
            remoteRef:
              key: k
        """)
        let (code, output) = try runValidate(["-f", dir])
        #expect(code == 1)
        #expect(output == """
        INVALID ExternalSecret default/bad (\(dir)/nested/app.yml:6): line 12: spec.target.creationPolicy: Unsupported value: "Foo": supported values: "Owner", "Orphan", "Merge", "None", "CreateOrMerge"; line 17: duplicate secretKey found: a
        1 objects checked: 0 valid, 1 invalid, 1 skipped

        """)
        let (_, json) = try runValidate(["-f", dir, "-o", "json"])
        let report = try JSON.parse(json)
        #expect(report["summary"] == ["valid": 0, "invalid": 1, "skipped": 1, "unreadable": 0])
        #expect(report["resources"]?[0]?["errors"]?[1] == ["message": "duplicate secretKey found: a", "path": "spec.data[1].secretKey", "line": 17])
        #expect(report["resources"]?[0]?["status"] == "invalid")
    }

    @Test func decodeFailureIsInvalidWithTheLine() throws {
        let (code, output) = try runValidate(["-f", "-"], stdin: """
        {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "j", "namespace": "ns"},
         "spec": {"refreshInterval": "often", "data": [{"secretKey": "a", "remoteRef": {"key": "k"}}]}}
        """)
        #expect(code == 1)
        #expect(output.hasPrefix(#"INVALID ExternalSecret ns/j (<stdin>:1): line 2: time: invalid duration "often""#))
    }

    @Test func unreadableInputExitsTwo() throws {
        let (code, output) = try runValidate(["-f", "/nonexistent/manifest.yaml", "-f", examplesDirectory + "/externalsecret-basic.yaml"])
        #expect(code == 2)
        #expect(output.contains("ERROR /nonexistent/manifest.yaml: No such file or directory"))
        #expect(output.contains("OK ExternalSecret default/example"))
        let (yamlCode, yamlOutput) = try runValidate(["-f", "-"], stdin: "a: [b")
        #expect(yamlCode == 2)
        #expect(yamlOutput.hasPrefix("ERROR <stdin>: yaml: line"))
    }

    @Test func clusterExternalSecretSpecIsValidatedInPlace() throws {
        let (code, output) = try runValidate(["-f", "-"], stdin: """
        apiVersion: external-secrets.io/v1
        kind: ClusterExternalSecret
        metadata:
          name: ces
        spec:
          externalSecretSpec:
            target:
              creationPolicy: None
              deletionPolicy: Delete
        """)
        #expect(code == 1)
        #expect(output.hasPrefix("INVALID ClusterExternalSecret ces (<stdin>:1): line 9: deletionPolicy=Delete must not be used"))
        #expect(output.contains("line 6: either data or dataFrom should be specified"))
    }

    @Test func requiresAnInput() {
        #expect(throws: (any Error).self) { try ValidateCommand.parse([]) }
    }
}
