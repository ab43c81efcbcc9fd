import ESAPI
import ESJSON
import ESValidation

/// Decides one admission request for one route: the pure core of the webhook (no I/O).
public struct AdmissionReviewer: Sendable {
    /// Called when a CREATE or UPDATE of an ExternalSecret passes validation and is not a dry run.
    public typealias AdmittedHook = @Sendable (ExternalSecret, AdmissionOperation, Bool) -> Void

    public var onAdmitted: AdmittedHook?

    public init(onAdmitted: AdmittedHook? = nil) {
        self.onAdmitted = onAdmitted
    }

    public func review(_ request: AdmissionRequest, route: AdmissionRoute) -> AdmissionResponse {
        // DELETE and CONNECT are allowed without looking at the object (upstream's validators return nil).
        guard request.operation == .create || request.operation == .update else {
            return .allowed(uid: request.uid)
        }
        guard let object = request.object else {
            return .errored(uid: request.uid, code: 400, message: "there is no content to decode")
        }
        switch (route.webhook, route.resource.storeKind) {
        case (.validate, nil): return validateExternalSecret(object, request: request, version: route.version)
        case (.validate, let kind?): return validateStore(object, kind: kind, request: request, version: route.version)
        case (.mutate, nil): return mutateExternalSecret(object, request: request, version: route.version)
        case (.mutate, let kind?): return mutateStore(object, kind: kind, request: request, version: route.version)
        }
    }

    func validateExternalSecret(_ object: JSONTape.Value, request: AdmissionRequest, version: APIVersion) -> AdmissionResponse {
        let es: ExternalSecret
        do { es = try ExternalSecret(document: object, version: version) } catch {
            return .errored(uid: request.uid, code: 400, message: error.message)
        }
        let result = Validator.validate(externalSecret: es)
        guard result.isValid else { return .denied(uid: request.uid, message: result.message, warnings: result.warnings) }
        if !request.dryRun, let onAdmitted { onAdmitted(es, request.operation, request.dryRun) }
        return .allowed(uid: request.uid, warnings: result.warnings)
    }

    func validateStore(_ object: JSONTape.Value, kind: StoreKind, request: AdmissionRequest, version: APIVersion) -> AdmissionResponse {
        let store: SecretStore
        do { store = try SecretStore(document: object, kind: kind, version: version) } catch {
            return .errored(uid: request.uid, code: 400, message: error.message)
        }
        let result = Validator.validate(store: store)
        guard result.isValid else { return .denied(uid: request.uid, message: result.message, warnings: result.warnings) }
        return .allowed(uid: request.uid, warnings: result.warnings)
    }

    func mutateExternalSecret(_ object: JSONTape.Value, request: AdmissionRequest, version: APIVersion) -> AdmissionResponse {
        let es: ExternalSecret
        do { es = try ExternalSecret(document: object, version: version) } catch {
            return .errored(uid: request.uid, code: 400, message: error.message)
        }
        return patchResponse(Defaulter.patch(externalSecret: es), uid: request.uid)
    }

    func mutateStore(_ object: JSONTape.Value, kind: StoreKind, request: AdmissionRequest, version: APIVersion) -> AdmissionResponse {
        let store: SecretStore
        do { store = try SecretStore(document: object, kind: kind, version: version) } catch {
            return .errored(uid: request.uid, code: 400, message: error.message)
        }
        return patchResponse(Defaulter.patch(store: store), uid: request.uid)
    }

    func patchResponse(_ ops: [JSON], uid: String) -> AdmissionResponse {
        .allowed(uid: uid, patch: ops.isEmpty ? nil : JSON.array(ops).serialized())
    }
}
