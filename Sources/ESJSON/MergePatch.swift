/// RFC 7386 JSON Merge Patch: apply, and compute the patch that turns one document into another.
public enum MergePatch {
    /// Applies `patch` to `target`: objects merge recursively, `null` deletes a key, anything else
    /// (arrays included) replaces.
    public static func apply(_ patch: JSON, to target: JSON) -> JSON {
        guard case .object(let patchObject) = patch else { return patch }
        var result: JSONObject
        if case .object(let existing) = target { result = existing } else { result = JSONObject() }
        for (key, value) in patchObject {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                let current = result[key] ?? .null
                result[key] = apply(value, to: current)
            }
        }
        return .object(result)
    }

    /// The merge patch that, applied to `original`, yields `modified` (like
    /// `jsonpatch.CreateMergePatch`): changed and added keys carry their new value, removed keys are
    /// `null`, nested objects recurse, arrays and scalars are replaced whole. Equal documents give `{}`.
    public static func create(from original: JSON, to modified: JSON) -> JSON {
        guard case .object(let a) = original, case .object(let b) = modified else {
            return modified
        }
        var patch = JSONObject()
        for (key, newValue) in b {
            if let oldValue = a[key] {
                if oldValue == newValue { continue }
                if case .object = oldValue, case .object = newValue {
                    patch[key] = create(from: oldValue, to: newValue)
                } else {
                    patch[key] = newValue
                }
            } else {
                patch[key] = newValue
            }
        }
        for (key, _) in a where b[key] == nil {
            patch[key] = .null
        }
        return .object(patch)
    }
}
