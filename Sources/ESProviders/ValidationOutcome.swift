/// The result of a store check (`SecretsClient.validate()`), mapped by the store controller onto the
/// store's Ready condition: `.ready` ⇒ `Valid`, `.unknown` ⇒ `ValidationUnknown` (still Ready=True),
/// `.error` ⇒ `InvalidProviderConfig`.
public enum ValidationOutcome: Sendable, Equatable {
    case ready
    case unknown
    case error(String)
}

/// What a store can do (`status.capabilities`).
public enum StoreCapabilities: String, Sendable {
    case readOnly = "ReadOnly"
    case writeOnly = "WriteOnly"
    case readWrite = "ReadWrite"
}
