import ESJSON

/// Strategic merge patch for built-in types, covering the list strategies controllers meet:
/// `metadata.finalizers` merges as a set (with `$deleteFromPrimitiveList/finalizers`),
/// `metadata.ownerReferences` merges by `uid`; every other list replaces, objects merge, `null`
/// deletes, and other `$` directives are ignored.
enum StrategicMergePatch {
    static func apply(_ patch: JSON, to original: JSON) -> JSON {
        guard case .object(let patchObject) = patch else { return patch }
        var result = original.objectValue ?? JSONObject()
        for (key, value) in patchObject where !key.hasPrefix("$") {
            if value.isNull {
                result.removeValue(forKey: key)
            } else if key == "metadata" {
                result[key] = mergeMetadata(value, into: result[key] ?? [:])
            } else if case .object = value {
                result[key] = MergePatch.apply(StoreMutations.strippingDirectives(value), to: result[key] ?? .null)
            } else {
                result[key] = value
            }
        }
        return .object(result)
    }

    private static func mergeMetadata(_ patch: JSON, into original: JSON) -> JSON {
        guard case .object(let patchObject) = patch else { return patch }
        var result = original.objectValue ?? JSONObject()
        for (key, value) in patchObject where !key.hasPrefix("$") {
            switch (key, value) {
            case (_, .null):
                result.removeValue(forKey: key)
            case ("finalizers", .array(let added)):
                var merged = result[key]?.arrayValue ?? []
                for item in added where !merged.contains(item) { merged.append(item) }
                result[key] = .array(merged)
            case ("ownerReferences", .array(let refs)):
                var merged = result[key]?.arrayValue ?? []
                for ref in refs {
                    if let i = merged.firstIndex(where: { $0["uid"] != nil && $0["uid"] == ref["uid"] }) {
                        if ref["$patch"]?.stringValue == "delete" { merged.remove(at: i) }
                        else { merged[i] = MergePatch.apply(StoreMutations.strippingDirectives(ref), to: merged[i]) }
                    } else if ref["$patch"]?.stringValue != "delete" {
                        merged.append(StoreMutations.strippingDirectives(ref))
                    }
                }
                result[key] = .array(merged)
            default:
                result[key] = MergePatch.apply(StoreMutations.strippingDirectives(value), to: result[key] ?? .null)
            }
        }
        if let removals = patchObject["$deleteFromPrimitiveList/finalizers"]?.arrayValue {
            let kept = (result["finalizers"]?.arrayValue ?? []).filter { !removals.contains($0) }
            result["finalizers"] = kept.isEmpty ? nil : .array(kept)
        }
        return .object(result)
    }
}
