import ESJSON
import Foundation

/// A parsed `labelSelector` query: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`.
public struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    var requirements: [Requirement]

    public static let everything = LabelSelector(requirements: [])

    public init(parsing text: String) throws(APIError) {
        requirements = []
        for part in LabelSelector.splitTopLevel(text) {
            let clause = part.trimmingSpaces()
            if clause.isEmpty { continue }
            requirements.append(try LabelSelector.parseClause(clause, in: text))
        }
    }

    init(requirements: [Requirement]) { self.requirements = requirements }

    public var isEmpty: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let k, let v): return labels[k] == v
            case .notEquals(let k, let v): return labels[k] != v
            case .isIn(let k, let values): return labels[k].map(values.contains) ?? false
            case .notIn(let k, let values): return !(labels[k].map(values.contains) ?? false)
            case .exists(let k): return labels[k] != nil
            case .doesNotExist(let k): return labels[k] == nil
            }
        }
    }

    public func matches(object: JSON) -> Bool {
        if requirements.isEmpty { return true }
        return matches(Self.labels(of: object))
    }

    static func labels(of object: JSON) -> [String: String] {
        var labels: [String: String] = [:]
        for (k, v) in object[path: ["metadata", "labels"]]?.objectValue ?? JSONObject() {
            if let s = v.stringValue { labels[k] = s }
        }
        return labels
    }

    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == ",", depth == 0 { parts.append(current); current = ""; continue }
            current.append(c)
        }
        parts.append(current)
        return parts
    }

    private static func parseClause(_ clause: String, in text: String) throws(APIError) -> Requirement {
        if clause.hasPrefix("!") {
            let key = String(clause.dropFirst()).trimmingSpaces()
            try validateKey(key, text)
            return .doesNotExist(key)
        }
        if let range = clause.range(of: "!=") {
            let key = String(clause[..<range.lowerBound]).trimmingSpaces()
            try validateKey(key, text)
            return .notEquals(key, String(clause[range.upperBound...]).trimmingSpaces())
        }
        if let range = clause.range(of: "==") ?? clause.range(of: "=") {
            let key = String(clause[..<range.lowerBound]).trimmingSpaces()
            try validateKey(key, text)
            return .equals(key, String(clause[range.upperBound...]).trimmingSpaces())
        }
        let words = clause.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2 {
            let rest = words[1].trimmingSpaces()
            for op in ["notin", "in"] where rest.hasPrefix(op) {
                let list = rest.dropFirst(op.count).trimmingSpaces()
                guard list.hasPrefix("("), list.hasSuffix(")") else { break }
                let values = Set(list.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingSpaces() })
                try validateKey(words[0], text)
                return op == "in" ? .isIn(words[0], values) : .notIn(words[0], values)
            }
            throw APIError.badRequest("unable to parse requirement: found '\(rest)', expected: in, notin, =, ==, !=, gt, lt")
        }
        try validateKey(clause, text)
        return .exists(clause)
    }

    private static func validateKey(_ key: String, _ text: String) throws(APIError) {
        let allowed = key.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
        if key.isEmpty || !allowed {
            throw APIError.badRequest("unable to parse requirement: invalid label key \"\(key)\"")
        }
    }
}

/// A parsed `fieldSelector`: `path=value`, `path==value`, `path!=value`, comma-separated; any dotted
/// path of string fields (`metadata.name`, `metadata.namespace`, `type`, ...).
public struct FieldSelector: Sendable {
    var requirements: [(path: [String], value: String, equal: Bool)]

    public static let everything = FieldSelector(requirements: [])

    init(requirements: [(path: [String], value: String, equal: Bool)]) { self.requirements = requirements }

    public init(parsing text: String) throws(APIError) {
        requirements = []
        for part in text.split(separator: ",") {
            let clause = String(part).trimmingSpaces()
            if clause.isEmpty { continue }
            let equal: Bool
            let range: Range<String.Index>
            if let r = clause.range(of: "!=") { equal = false; range = r }
            else if let r = clause.range(of: "==") ?? clause.range(of: "=") { equal = true; range = r }
            else { throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(clause)'") }
            let path = clause[..<range.lowerBound].split(separator: ".").map(String.init)
            requirements.append((path, String(clause[range.upperBound...]), equal))
        }
    }

    public func matches(object: JSON) -> Bool {
        requirements.allSatisfy { requirement in
            let actual = object[path: requirement.path].flatMap { $0.stringValue ?? $0.serializedString() } ?? ""
            return (actual == requirement.value) == requirement.equal
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
