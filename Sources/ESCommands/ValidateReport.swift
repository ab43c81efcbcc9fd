import ESAPI
import ESJSON
import ESValidation
import ESYAML

/// The verdict on one external-secrets.io object of a manifest.
struct ObjectVerdict {
    struct Problem {
        var message: String
        var path: String
        var line: Int?
    }

    var source: String
    var line: Int
    var apiVersion: String
    var kind: String
    var namespace: String
    var name: String
    var problems: [Problem]
    var warnings: [String]

    var isValid: Bool { problems.isEmpty }
    var displayName: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// What `validate` found in all its inputs, and how to print it.
struct ValidateReport {
    var verdicts: [ObjectVerdict] = []
    var skipped = 0
    /// Inputs that could not be read or parsed: source and reason.
    var failures: [(source: String, message: String)] = []

    var invalidCount: Int { verdicts.filter { !$0.isValid }.count }

    /// 2 when an input was unreadable, else 1 when an object is invalid, else 0.
    var exitCode: Int32 { !failures.isEmpty ? 2 : (invalidCount > 0 ? 1 : 0) }

    /// Validates every external-secrets.io object of `source`; other objects are counted as skipped.
    mutating func add(_ source: ManifestSource, defaultNamespace: String) {
        let documents: [Manifest.Document]
        do { documents = try Manifest.documents(source.text) } catch {
            failures.append((source.name, error.description))
            return
        }
        for document in documents {
            guard document.isExternalSecretsObject else {
                skipped += 1
                continue
            }
            verdicts.append(Self.evaluate(document, source: source.name, defaultNamespace: defaultNamespace))
        }
    }

    /// Schema checks (what the API server rejects) then the webhook rules, with source lines.
    static func evaluate(_ document: Manifest.Document, source: String, defaultNamespace: String) -> ObjectVerdict {
        var document = document
        let namespaced = APIKind(rawValue: document.kind)?.isNamespaced ?? true
        if namespaced && document.namespace.isEmpty {
            document.json[path: ["metadata", "namespace"]] = .string(defaultNamespace)
        }
        var verdict = ObjectVerdict(source: source, line: document.startLine, apiVersion: document.apiVersion,
                                    kind: document.kind, namespace: namespaced ? document.namespace : "",
                                    name: document.name, problems: [], warnings: [])
        func report(_ issues: [ValidationIssue], pathPrefix: String = "") {
            for issue in issues {
                let path = pathPrefix.isEmpty ? issue.path : Self.reroot(issue.path, under: pathPrefix)
                verdict.problems.append(.init(message: issue.message, path: path, line: document.line(of: path)))
            }
        }
        do {
            switch try document.decode() {
            case .externalSecret(let es):
                report(SchemaValidator.validate(externalSecret: es))
                report(Validator.validate(externalSecret: es).issues)
            case .secretStore(let store):
                report(SchemaValidator.validate(store: store))
                let result = Validator.validate(store: store)
                report(result.issues)
                verdict.warnings = result.warnings
            case .clusterExternalSecret(let ces):
                // The ExternalSecret each namespace gets is what the webhook will see.
                let embedded: JSON = [
                    "apiVersion": .string(document.apiVersion), "kind": "ExternalSecret",
                    "metadata": ["name": .string(ces.externalSecretName ?? ces.metadata.name), "namespace": .string(defaultNamespace)],
                    "spec": ces.json["spec"]?["externalSecretSpec"] ?? .null,
                ]
                let es = try ExternalSecret(json: embedded)
                report(SchemaValidator.validate(externalSecret: es), pathPrefix: "spec.externalSecretSpec")
                report(Validator.validate(externalSecret: es).issues, pathPrefix: "spec.externalSecretSpec")
            case .pushSecret:
                break
            }
        } catch {
            verdict.problems.append(.init(message: error.message, path: error.path, line: error.line))
        }
        return verdict
    }

    /// `spec.x` of an embedded ExternalSecret is `<prefix>.x` in the ClusterExternalSecret.
    static func reroot(_ path: String, under prefix: String) -> String {
        if path == "spec" { return prefix }
        if path.hasPrefix("spec.") { return prefix + path.dropFirst(4) }
        return path.isEmpty ? prefix : path
    }

    // MARK: - Rendering

    func text() -> String {
        var lines: [String] = []
        for v in verdicts {
            var line = "\(v.isValid ? "OK" : "INVALID") \(v.kind) \(v.displayName) (\(v.source):\(v.line))"
            if !v.isValid {
                line += ": " + v.problems.map { p in p.line.map { "line \($0): \(p.message)" } ?? p.message }.joined(separator: "; ")
            }
            if !v.warnings.isEmpty { line += " warning: " + v.warnings.joined(separator: "; ") }
            lines.append(line)
        }
        for failure in failures { lines.append("ERROR \(failure.source): \(failure.message)") }
        let valid = verdicts.count - invalidCount
        var summary = "\(verdicts.count) objects checked: \(valid) valid, \(invalidCount) invalid, \(skipped) skipped"
        if !failures.isEmpty { summary += ", \(failures.count) unreadable" }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    func json() -> String {
        let resources: [JSON] = verdicts.map { v in
            var o: JSON = [
                "source": .string(v.source), "line": .number(JSONNumber(v.line)), "apiVersion": .string(v.apiVersion),
                "kind": .string(v.kind), "namespace": .string(v.namespace), "name": .string(v.name),
                "status": .string(v.isValid ? "valid" : "invalid"),
            ]
            o["errors"] = .array(v.problems.map { p in
                var e: JSON = ["message": .string(p.message), "path": .string(p.path)]
                if let line = p.line { e["line"] = .number(JSONNumber(line)) }
                return e
            })
            o["warnings"] = .array(v.warnings.map(JSON.string))
            return o
        }
        let report: JSON = [
            "resources": .array(resources),
            "errors": .array(failures.map { ["source": .string($0.source), "message": .string($0.message)] }),
            "summary": [
                "valid": .number(JSONNumber(verdicts.count - invalidCount)), "invalid": .number(JSONNumber(invalidCount)),
                "skipped": .number(JSONNumber(skipped)), "unreadable": .number(JSONNumber(failures.count)),
            ],
        ]
        return report.serializedString(JSONWriteOptions(indent: "  ")) + "\n"
    }
}
