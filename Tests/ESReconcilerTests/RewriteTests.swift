import ESJSON
import ESReconciler
import Testing

@Suite struct RewriteTests {
    @Test func regexpRewritesKeysWithGoExpansion() throws {
        let ops: JSON = [["regexp": ["source": "^db/(.*)$", "target": "DB_$1"]]]
        let out = try Rewrite.apply(ops.arrayValue ?? [], to: ["db/user": [1], "other": [2]], renderer: nil)
        #expect(out == ["DB_user": [1], "other": [2]])
    }

    @Test func failingOperationIsIndexed() {
        let ops: JSON = [["regexp": ["source": "a", "target": "b"]], ["transform": ["template": "{{ .value }}"]]]
        do {
            _ = try Rewrite.apply(ops.arrayValue ?? [], to: ["a": []], renderer: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("failed rewrite operation[1]: transform failed with failed to transform key: "))
        }
    }

    @Test func transformUsesTheRenderer() throws {
        let ops: JSON = [["transform": ["template": "ignored"]]]
        let out = try Rewrite.apply(ops.arrayValue ?? [], to: ["key": [7]], renderer: { _, data in (data["value"] ?? "").uppercased() })
        #expect(out == ["KEY": [7]])
    }

    @Test func mergeExtractWithPriorityAndConflicts() throws {
        let input: [String: [UInt8]] = [
            "a": Array(#"{"user":"a","host":"h"}"#.utf8),
            "b": Array(#"{"user":"b","port":5432}"#.utf8),
        ]
        do {
            _ = try Rewrite.mergeValues(["priority": ["a"]], input)
            Issue.record("expected a conflict")
        } catch {
            #expect(error.message == "merge failed with conflicts: user")
        }
        let out = try Rewrite.mergeValues(["priority": ["a"], "conflictPolicy": "Ignore"], input)
        #expect(out == ["user": Array("a".utf8), "host": Array("h".utf8), "port": Array("5432".utf8)])
    }

    @Test func mergeJSONStrategyNeedsInto() throws {
        let input: [String: [UInt8]] = ["a": Array(#"{"x":"1"}"#.utf8), "b": Array(#"{"y":true}"#.utf8)]
        #expect(throws: Rewrite.RewriteError(message: "merge failed with missing 'into' field")) {
            try Rewrite.mergeValues(["strategy": "JSON"], input)
        }
        let out = try Rewrite.mergeValues(["strategy": "JSON", "into": "all"], input)
        #expect(out["all"] == Array(#"{"x":"1","y":true}"#.utf8))
        #expect(out["a"] == input["a"])
    }

    @Test func mergeMissingPriorityKey() throws {
        #expect(throws: Rewrite.RewriteError(message: "merge failed with key \"zz\" not found in input map")) {
            try Rewrite.mergeValues(["priority": ["zz"]], [:])
        }
        #expect(try Rewrite.mergeValues(["priority": ["zz"], "priorityPolicy": "IgnoreNotFound"], [:]) == [:])
    }
}
