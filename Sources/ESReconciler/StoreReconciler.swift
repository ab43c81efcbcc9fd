import ESJSON
import ESProviders
import Logging

/// The SecretStore / ClusterSecretStore controller (§4.9): builds a client, runs the provider's
/// store check and records the outcome in `status` (Ready condition, capabilities) and Events.
public final class StoreReconciler: Sendable {
    static let eventComponent = "secret-store"

    let api: any ClusterAPI
    let factory: any ProviderClientFactory
    let configuration: ReconcilerConfiguration
    let metrics: ReconcilerMetrics
    let logger: Logger
    let clock: @Sendable () -> Int64

    public init(api: any ClusterAPI, factory: any ProviderClientFactory, configuration: ReconcilerConfiguration = .init(),
                metrics: ReconcilerMetrics = .init(), logger: Logger = Logger(label: "secretstore"),
                clock: @escaping @Sendable () -> Int64 = { RFC3339Time.nowSeconds() }) {
        self.api = api
        self.factory = factory
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// `namespace` nil for a ClusterSecretStore.
    public func reconcile(namespace: String?, name: String) async -> ReconcileOutcome {
        let started = ExternalSecretReconciler.monotonic()
        let resource: ClusterResource = namespace == nil ? .clusterSecretStores : .secretStores
        let kind = namespace == nil ? "ClusterSecretStore" : "SecretStore"
        let outcome = await reconcileOnce(resource: resource, kind: kind, namespace: namespace, name: name)
        let elapsed = ExternalSecretReconciler.monotonic() - started
        metrics.storeReconcileDuration(kind: kind, name: name, namespace: namespace ?? "", seconds: elapsed)
        metrics.reconcileResult(controller: kind.lowercased(), result: outcome.metricResult, seconds: elapsed)
        return outcome
    }

    func reconcileOnce(resource: ClusterResource, kind: String, namespace: String?, name: String) async -> ReconcileOutcome {
        let store: JSON
        do {
            guard let found = try await api.get(resource, namespace: namespace, name: name) else { return .done }
            store = found
        } catch {
            return .failed("\(error)")
        }
        let controller = store[path: ["spec", "controller"]]?.stringValue ?? ""
        if !controller.isEmpty, controller != configuration.controllerClass { return .done }
        if store[path: ["metadata", "deletionTimestamp"]].map({ !$0.isNull }) == true { return .done }

        let interval = Self.refreshInterval(store) ?? configuration.storeRequeueInterval
        let now = clock()
        var status = store["status"] ?? .object(JSONObject())
        let conditions = status["conditions"]?.arrayValue ?? []
        var outcome: ReconcileOutcome
        var events: [(String, String, String)] = []

        do {
            let client = try await factory.makeClient(store: store, namespace: namespace ?? "")
            let result = await client.validate()
            await client.close()
            switch result {
            case .ready:
                let ignoreMaintenance = store[path: ["metadata", "annotations", "external-secrets.io/ignore-maintenance-checks"]] != nil
                if !factory.isMaintained(store: store), !ignoreMaintenance {
                    events.append(("Warning", "StoreUnmaintained",
                                   "store isn't currently maintained. Please plan and prepare accordingly."))
                }
                events.append(("Normal", "Valid", "store validated"))
                status["capabilities"] = .string(factory.capabilities(store: store).rawValue)
                status["conditions"] = .array(StatusConditions.set(SyncCondition(status: true, reason: "Valid", message: "store validated"),
                                                                   in: conditions, now: now))
                outcome = .requeue(after: interval)
            case .unknown:
                events.append(("Warning", "ValidationUnknown", "unable to validate"))
                status["conditions"] = .array(StatusConditions.set(
                    SyncCondition(status: true, reason: "ValidationUnknown", message: "could not determine validation status"),
                    in: conditions, now: now))
                outcome = .requeue(after: interval)
            case .error(let message):
                events.append(("Warning", "InvalidProviderConfig", message))
                status["conditions"] = .array(StatusConditions.set(
                    SyncCondition(status: false, reason: "InvalidProviderConfig", message: "unable to validate store"),
                    in: conditions, now: now))
                outcome = .failed("could not validate provider: \(message)")
            }
        } catch {
            events.append(("Warning", "InvalidProviderConfig", "\(error)"))
            status["conditions"] = .array(StatusConditions.set(
                SyncCondition(status: false, reason: "InvalidProviderConfig", message: "unable to create client"),
                in: conditions, now: now))
            outcome = .failed("could not get provider client: \(error)")
        }

        for (type, reason, message) in events {
            await api.recordEvent(about: store, type: type, reason: reason, message: message, component: Self.eventComponent)
        }
        if let ready = StatusConditions.readyCondition(in: status["conditions"]?.arrayValue ?? []) {
            metrics.storeStatusCondition(kind: kind, name: name, namespace: namespace ?? "", ready: ready.status)
        }
        if status != (store["status"] ?? .object(JSONObject())) {
            var updated = store
            updated["status"] = status
            do {
                _ = try await api.updateStatus(resource, namespace: namespace, updated)
            } catch let error as ClusterAPIError where error.isConflict {
                return .requeueNow
            } catch let error as ClusterAPIError where error.isNotFound {
                return .done
            } catch {
                logger.warning("unable to patch status", metadata: ["store": "\(name)", "error": "\(error)"])
            }
        }
        return outcome
    }

    /// `spec.refreshInterval`: integer seconds or a Go duration string; nil when absent or zero.
    static func refreshInterval(_ store: JSON) -> Double? {
        guard let value = store[path: ["spec", "refreshInterval"]] else { return nil }
        let seconds: Double?
        switch value {
        case .number(let n): seconds = n.double
        case .string(let s): seconds = GoDuration.seconds(s) ?? Double(s)
        default: seconds = nil
        }
        guard let seconds, seconds > 0 else { return nil }
        return seconds
    }
}
