import ESJSON

/// `ExternalSecret.spec`.
public struct ExternalSecretSpec: Sendable {
    public var secretStoreRef: SecretStoreRef?
    public var target: ExternalSecretTarget
    /// `CreatedOnce`, `Periodic`, `OnChange`; `nil` ⇒ Periodic.
    public var refreshPolicy: String?
    /// `nil` when not written (the CRD default is `1h0m0s`).
    public var refreshInterval: DurationValue?
    public var syncWindows: SyncWindows?
    public var data: [ExternalSecretData]
    public var dataFrom: [ExternalSecretDataFrom]
    /// Whether `target` was written at all.
    public var hasTarget: Bool

    public init() {
        secretStoreRef = nil
        target = ExternalSecretTarget()
        refreshPolicy = nil
        refreshInterval = nil
        syncWindows = nil
        data = []
        dataFrom = []
        hasTarget = false
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        secretStoreRef = try d.decode("secretStoreRef", goStruct: "SecretStoreRef", SecretStoreRef.init(from:))
        let target = try d.decode("target", goStruct: "ExternalSecretTarget", ExternalSecretTarget.init(from:))
        self.target = target ?? ExternalSecretTarget()
        hasTarget = target != nil
        refreshPolicy = try d.string("refreshPolicy")
        refreshInterval = try d.duration("refreshInterval")
        syncWindows = try d.decode("syncWindows", goStruct: "SyncWindows", SyncWindows.init(from:))
        data = try d.decodeArray("data", goStruct: "ExternalSecretData", ExternalSecretData.init(from:))
        dataFrom = try d.decodeArray("dataFrom", goStruct: "ExternalSecretDataFromRemoteRef", ExternalSecretDataFrom.init(from:))
    }
}

/// `secretStoreRef` / `sourceRef.storeRef`: a store by name and kind.
public struct SecretStoreRef: Sendable, Equatable {
    public var name: String
    /// `SecretStore` or `ClusterSecretStore`; `nil` ⇒ SecretStore.
    public var kind: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    /// `kind`, defaulted as the controller does.
    public var effectiveKind: String {
        if let kind, !kind.isEmpty { return kind }
        return "SecretStore"
    }

    public init(name: String, kind: String? = nil, path: String = "") {
        self.name = name
        self.kind = kind
        self.fieldPath = FieldPath(path)
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        name = try d.string("name") ?? ""
        kind = try d.string("kind")
        fieldPath = d.fieldPath
    }
}

/// `spec.syncWindows` (v1).
public struct SyncWindows: Sendable {
    /// `allow` or `deny`.
    public var kind: String?
    public var windows: [SyncWindow]
    public var hasWindows: Bool

    init(from d: FieldDecoder) throws(APIDecodingError) {
        kind = try d.string("kind")
        hasWindows = d.has("windows")
        windows = try d.decodeArray("windows", goStruct: "SyncWindow") { (w) throws(APIDecodingError) in
            SyncWindow(schedule: try w.string("schedule"), duration: try w.duration("duration"), fieldPath: w.fieldPath)
        }
    }
}

public struct SyncWindow: Sendable {
    public var schedule: String?
    public var duration: DurationValue?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }
}
