import ESJSON

/// Builds the JSONPatch that turns `original` into `defaulted`, where `defaulted` only adds
/// members: `add` for a member that is absent, `replace` for one that is `null`. Equal values
/// produce no operation, so a second pass over a patched object yields an empty patch.
enum DefaultsPatch {
    static func operations(from original: JSON, to defaulted: JSON) -> [JSON] {
        var ops: [JSON] = []
        diff(original, defaulted, pointer: "", into: &ops)
        return ops
    }

    static func diff(_ a: JSON, _ b: JSON, pointer: String, into ops: inout [JSON]) {
        switch (a, b) {
        case (.object(let left), .object(let right)):
            for (key, value) in right {
                let child = pointer + "/" + escape(key)
                if let existing = left[key] {
                    if existing.isNull && !value.isNull {
                        ops.append(op("replace", child, value))
                    } else {
                        diff(existing, value, pointer: child, into: &ops)
                    }
                } else {
                    ops.append(op("add", child, value))
                }
            }
        case (.array(let left), .array(let right)) where left.count == right.count:
            for i in left.indices { diff(left[i], right[i], pointer: "\(pointer)/\(i)", into: &ops) }
        default:
            if a != b { ops.append(op("replace", pointer, b)) }
        }
    }

    static func op(_ name: String, _ path: String, _ value: JSON) -> JSON {
        var o = JSONObject(minimumCapacity: 3)
        o["op"] = .string(name)
        o["path"] = .string(path)
        o["value"] = value
        return .object(o)
    }

    /// RFC 6901 token escaping.
    static func escape(_ token: String) -> String {
        guard token.contains(where: { $0 == "~" || $0 == "/" }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// In-place defaulting helpers over JSON objects (absent or `null` members count as unset).
extension JSON {
    /// Sets `key` to `value` unless it holds a non-null value. Only on objects.
    mutating func setDefault(_ key: String, _ value: JSON) {
        guard case .object = self else { return }
        if let existing = self[key], !existing.isNull { return }
        self[key] = value
    }

    /// Runs `body` on the object member `key`. When the member is unset and `create` is true,
    /// `body` starts from `{}` and the result is stored only if it gained members.
    mutating func updateObject(_ key: String, create: Bool = false, _ body: (inout JSON) -> Void) {
        guard case .object = self else { return }
        switch self[key] {
        case .some(.object(let o)):
            var child = JSON.object(o)
            self[key] = .null  // drop our reference so `child` is uniquely owned
            body(&child)
            self[key] = child
        case nil, .some(.null):
            guard create else { return }
            var child = JSON.object(JSONObject())
            body(&child)
            if case .object(let o) = child, !o.isEmpty { self[key] = child }
        default:
            return
        }
    }

    /// Runs `body` on every object element of the array member `key`.
    mutating func updateEachElement(_ key: String, _ body: (inout JSON) -> Void) {
        guard case .some(.array(var items)) = self[key] else { return }
        self[key] = .null
        for i in items.indices where items[i].objectValue != nil { body(&items[i]) }
        self[key] = .array(items)
    }
}
