import ESJSON
import Foundation

/// Server-side printing (`meta.k8s.io/v1 Table`) so `kubectl get` shows the usual columns.
enum TableRenderer {
    static func table(_ items: [JSON], type: ResourceType, resourceVersion: Int?, continueToken: String?) -> JSON {
        let columns = self.columns(for: type)
        var definitions: [JSON] = [["name": "Name", "type": "string", "format": "name", "description": "Name", "priority": 0]]
        for column in columns {
            definitions.append(["name": .string(column.name), "type": .string(column.type), "format": "",
                                "description": .string(column.name), "priority": .number(JSONNumber(column.priority))])
        }
        let now = Timestamps.now()
        let rows: [JSON] = items.map { item in
            var cells: [JSON] = [item[path: ["metadata", "name"]] ?? ""]
            for column in columns { cells.append(column.value(item, now)) }
            return ["cells": .array(cells),
                    "object": ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                               "metadata": item["metadata"] ?? [:]]]
        }
        var metadata: JSON = [:]
        if let resourceVersion { metadata["resourceVersion"] = .string(String(resourceVersion)) }
        if let continueToken { metadata["continue"] = .string(continueToken) }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
                "columnDefinitions": .array(definitions), "rows": .array(rows)]
    }

    struct Column {
        var name: String
        var type: String
        var priority: Int
        var value: (JSON, Double) -> JSON
    }

    static func columns(for type: ResourceType) -> [Column] {
        let age = Column(name: "Age", type: "string", priority: 0) { item, now in
            .string(ageString(item[path: ["metadata", "creationTimestamp"]]?.stringValue, now: now))
        }
        switch type.key {
        case "secrets":
            return [Column(name: "Type", type: "string", priority: 0) { item, _ in item["type"] ?? "" },
                    Column(name: "Data", type: "integer", priority: 0) { item, _ in
                        .number(JSONNumber(item["data"]?.objectValue?.count ?? 0)) }, age]
        case "configmaps":
            return [Column(name: "Data", type: "integer", priority: 0) { item, _ in
                .number(JSONNumber((item["data"]?.objectValue?.count ?? 0) + (item["binaryData"]?.objectValue?.count ?? 0))) }, age]
        case "namespaces":
            return [Column(name: "Status", type: "string", priority: 0) { item, _ in item[path: ["status", "phase"]] ?? "" }, age]
        default:
            break
        }
        if type.printerColumns.isEmpty { return [age] }
        return type.printerColumns.map { definition in
            let name = definition["name"]?.stringValue ?? ""
            let path = definition["jsonPath"]?.stringValue ?? ""
            let kind = definition["type"]?.stringValue ?? "string"
            return Column(name: name, type: kind == "date" ? "string" : kind,
                          priority: definition["priority"]?.intValue ?? 0) { item, now in
                guard let value = SimpleJSONPath.evaluate(path, in: item), !value.isNull else { return .null }
                if kind == "date" { return .string(ageString(value.stringValue, now: now)) }
                return value
            }
        }
    }

    /// kubectl's `HumanDuration` shape: 45s, 5m, 3h, 2d.
    static func ageString(_ timestamp: String?, now: Double) -> String {
        guard let timestamp, let then = parseRFC3339(timestamp) else { return "<unknown>" }
        let seconds = max(0, Int(now - then))
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 3600 * 3 { return "\(seconds / 60)m" }
        if seconds < 86_400 * 2 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)d"
    }

    static func parseRFC3339(_ text: String) -> Double? {
        let digits = text.filter { $0.isNumber }
        guard digits.count >= 14 else { return nil }
        let d = Array(digits)
        func num(_ r: Range<Int>) -> Int { Int(String(d[r])) ?? 0 }
        let (y, mo, day, h, mi, s) = (num(0..<4), num(4..<6), num(6..<8), num(8..<10), num(10..<12), num(12..<14))
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86_400 + h * 3600 + mi * 60 + s)
    }
}

/// The JSONPath subset CRD printer columns use: `.a.b`, `.a[0]`, `.a[?(@.type=="Ready")].status`.
enum SimpleJSONPath {
    static func evaluate(_ path: String, in object: JSON) -> JSON? {
        var current: JSON? = object
        var rest = Substring(path)
        while !rest.isEmpty, let value = current {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
                current = value[String(rest[..<end])]
                rest = rest[end...]
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                if let index = Int(inner) {
                    current = value[index]
                } else if inner.hasPrefix("?(@."), inner.hasSuffix(")"), let eq = inner.range(of: "==") {
                    let field = String(inner[inner.index(inner.startIndex, offsetBy: 4)..<eq.lowerBound])
                    var expected = String(inner[eq.upperBound..<inner.index(before: inner.endIndex)])
                    expected = expected.trimmingCharacters(["\"", "'"])
                    current = value.arrayValue?.first { $0[field]?.stringValue == expected }
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        return current
    }
}

extension String {
    func trimmingCharacters(_ set: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
