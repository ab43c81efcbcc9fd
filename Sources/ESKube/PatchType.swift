/// How `patch` encodes its body.
public enum PatchType: Sendable, Equatable {
    /// RFC 7386 `application/merge-patch+json`.
    case merge
    /// RFC 6902 `application/json-patch+json`.
    case json
    /// `application/strategic-merge-patch+json` (built-in types only).
    case strategicMerge
    /// Server-side apply `application/apply-patch+yaml`; needs a field manager.
    case apply(force: Bool)

    var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .json: return "application/json-patch+json"
        case .strategicMerge: return "application/strategic-merge-patch+json"
        case .apply: return "application/apply-patch+yaml"
        }
    }
}
