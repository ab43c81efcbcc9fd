import ESJSON
import ESTemplate
import Foundation
import Testing

/// One golden case: a template, its data (ESO's `map[string]string` context) and either the exact
/// expected output, a substring of the expected error, or a regular expression for random/time output.
struct GoldenCase: Sendable, CustomStringConvertible {
    var file: String
    var name: String
    var template: String
    var data: [String: String]
    var expect: String?
    var error: String?
    var shape: String?
    var leftDelim: String?
    var rightDelim: String?

    var description: String { "\(file): \(name)" }
}

enum Golden {
    static func load() throws -> [GoldenCase] {
        guard let dir = Bundle.module.url(forResource: "Golden", withExtension: nil) else {
            throw GoldenError(message: "Golden directory missing from the test bundle")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        var cases: [GoldenCase] = []
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            guard case .array(let items) = try JSON.parse(text) else {
                throw GoldenError(message: "\(file): expected a JSON array")
            }
            for item in items {
                var data: [String: String] = [:]
                for (k, v) in item["data"]?.objectValue ?? JSONObject() { data[k] = v.stringValue ?? "" }
                cases.append(GoldenCase(
                    file: file, name: item["name"]?.stringValue ?? "?", template: item["template"]?.stringValue ?? "",
                    data: data, expect: item["expect"]?.stringValue, error: item["error"]?.stringValue,
                    shape: item["shape"]?.stringValue, leftDelim: item["leftDelim"]?.stringValue,
                    rightDelim: item["rightDelim"]?.stringValue))
            }
        }
        return cases
    }

    /// Runs one case; returns a mismatch description or nil.
    static func run(_ c: GoldenCase) -> String? {
        let result: Result<String, any Error> = Result {
            try TemplateEngine.render(template: c.template, name: "key", data: c.data,
                                      leftDelimiter: c.leftDelim ?? "{{", rightDelimiter: c.rightDelim ?? "}}")
        }
        switch result {
        case .success(let out):
            if let expect = c.expect, out != expect {
                return "\(c): expected \(String(reflecting: expect)), got \(String(reflecting: out))"
            }
            if let err = c.error { return "\(c): expected error containing \(String(reflecting: err)), got output \(String(reflecting: out))" }
            if let shape = c.shape {
                guard let re = try? Regex(shape), (try? re.wholeMatch(in: out)) != nil else {
                    return "\(c): output \(String(reflecting: out)) does not match /\(shape)/"
                }
            }
            return nil
        case .failure(let error):
            let message = "\(error)"
            if let err = c.error {
                return message.contains(err) ? nil : "\(c): expected error containing \(String(reflecting: err)), got \(String(reflecting: message))"
            }
            return "\(c): unexpected error \(String(reflecting: message))"
        }
    }
}

struct GoldenError: Error, CustomStringConvertible { var message: String; var description: String { message } }

@Suite struct GoldenSuite {
    @Test func goldenCasesRenderLikeGo() throws {
        let cases = try Golden.load()
        #expect(cases.count >= 150, "golden suite has only \(cases.count) cases")
        let mismatches = cases.compactMap(Golden.run)
        for m in mismatches { Issue.record(Comment(rawValue: m)) }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases.count) golden cases mismatched")
    }
}
