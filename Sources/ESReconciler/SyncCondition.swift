import ESJSON

/// The `Ready` condition outcomes of §4.7 with upstream's exact reasons and messages.
public struct SyncCondition: Sendable, Equatable {
    public var status: Bool
    public var reason: String
    public var message: String

    public init(status: Bool, reason: String, message: String) {
        self.status = status
        self.reason = reason
        self.message = message
    }

    public static let synced = SyncCondition(status: true, reason: "SecretSynced", message: "secret synced")
    public static let retained = SyncCondition(status: true, reason: "SecretSynced",
                                               message: "secret retained due to DeletionPolicy=Retain")
    public static let deleted = SyncCondition(status: true, reason: "SecretDeleted",
                                              message: "secret deleted due to DeletionPolicy=Delete")
    public static let mergeTargetMissing = SyncCondition(status: true, reason: "SecretMissing",
                                                         message: "secret will not be created due to CreationPolicy=Merge")
    public static func failed(_ message: String) -> SyncCondition {
        SyncCondition(status: false, reason: "SecretSyncedError", message: message)
    }

    public static let providerError = "could not get secret data from provider"
    public static let deleteError = "could not delete secret"
    public static let orphanCleanupError = "could not delete orphaned secrets"
    public static let updateError = "could not update secret"
    public static let immutableError = "could not update secret, target is immutable"
    public static let ownedByOtherError = "target is owned by another ExternalSecret"
    public static let ownershipError = "failed to take ownership of target secret"
    public static let genericTargetError = "invalid generic target"

    public var statusString: String { status ? "True" : "False" }
}

/// Writes conditions into a status object the way upstream's `SetExternalSecretCondition` does:
/// an identical condition is left as is; `lastTransitionTime` only changes when `status` flips.
public enum StatusConditions {
    /// Returns the new `conditions` array for `type` (other condition types are kept).
    public static func set(_ condition: SyncCondition, type: String = "Ready", in conditions: [JSON], now: Int64) -> [JSON] {
        let current = conditions.first { $0["type"]?.stringValue == type }
        if let current, current["status"]?.stringValue == condition.statusString,
           current["reason"]?.stringValue == condition.reason, current["message"]?.stringValue == condition.message {
            return conditions
        }
        var transition = JSON.string(RFC3339Time.format(now))
        if let current, current["status"]?.stringValue == condition.statusString,
           let previous = current["lastTransitionTime"] {
            transition = previous
        }
        var object = JSONObject()
        object["type"] = .string(type)
        object["status"] = .string(condition.statusString)
        object["reason"] = .string(condition.reason)
        object["message"] = .string(condition.message)
        object["lastTransitionTime"] = transition
        return conditions.filter { $0["type"]?.stringValue != type } + [.object(object)]
    }

    public static func readyCondition(in conditions: [JSON]) -> SyncCondition? {
        guard let c = conditions.first(where: { $0["type"]?.stringValue == "Ready" }) else { return nil }
        return SyncCondition(status: c["status"]?.stringValue == "True", reason: c["reason"]?.stringValue ?? "",
                             message: c["message"]?.stringValue ?? "")
    }
}
