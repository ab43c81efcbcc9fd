import ESHTTP
import ESJSON
import Foundation
import Synchronization

/// Routes Kubernetes REST requests to the store: discovery, CRUD, watch, patch, TokenRequest.
final class APIHandler: HTTPHandler {
    let store: ObjectStore
    let faults: FaultInjector
    let tokens: ServiceAccountTokens
    let options: TestAPIServerOptions
    let auth: Mutex<Set<String>>
    let requestLog = Mutex<[String]>([])
    let serverAddress: Mutex<String>
    let admission: AdmissionWebhooks

    init(store: ObjectStore, faults: FaultInjector, tokens: ServiceAccountTokens, options: TestAPIServerOptions,
         adminToken: String) {
        self.store = store
        self.faults = faults
        self.tokens = tokens
        self.options = options
        self.auth = Mutex([adminToken])
        self.serverAddress = Mutex("127.0.0.1:0")
        self.admission = AdmissionWebhooks(store: store)
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        requestLog.withLock { log in
            log.append("\(request.method) \(request.target)")
            if log.count > 20_000 { log.removeFirst(10_000) }
        }
        let delay = faults.delay
        if delay > .zero { try? await Task.sleep(for: delay) }
        let segments = request.path.split(separator: "/").map(String.init)
        if ["healthz", "readyz", "livez"].contains(segments.first ?? "") { return .text(200, "ok") }
        guard authorized(request) else { return statusResponse(APIError.unauthorized) }
        if let failure = faults.takeFailure(method: request.method, target: request.target) {
            var response = statusResponse(APIError(code: failure.status, reason: reason(for: failure.status),
                                                   message: "injected failure (\(failure.status))"))
            if let retry = failure.retryAfter { response.headers.add(name: "Retry-After", value: String(retry)) }
            return response
        }
        do {
            return try await route(request, segments)
        } catch {
            return statusResponse(error)
        }
    }

    private func authorized(_ request: HTTPRequest) -> Bool {
        guard let header = request.headers["Authorization"], header.hasPrefix("Bearer ") else { return false }
        let token = String(header.dropFirst("Bearer ".count)).trimmingSpaces()
        if auth.withLock({ $0.contains(token) }) { return true }
        return tokens.verify(token, now: Timestamps.now()) != nil
    }

    // MARK: - Routing

    private func route(_ request: HTTPRequest, _ segments: [String]) async throws(APIError) -> HTTPResponse {
        switch segments.first {
        case "version" where segments.count == 1:
            return json(200, Discovery.version)
        case "openapi" where segments.count >= 2 && segments[1] == "v3":
            let types = store.resourceTypes
            if segments.count == 2 { return json(200, OpenAPIV3.root(types)) }
            let groupVersion = segments.dropFirst(2).joined(separator: "/")
            guard let document = OpenAPIV3.document(groupVersion: groupVersion, types: types) else {
                return .text(404, "404 page not found\n")
            }
            return json(200, document)
        case "api":
            if segments.count == 1 { return json(200, Discovery.coreVersions(serverAddress: serverAddress.withLock { $0 })) }
            guard segments[1] == "v1" else { throw APIError.resourceNotFound }
            if segments.count == 2 {
                return json(200, Discovery.resourceList(groupVersion: "v1", version: "v1",
                                                        types: store.resourceTypes.filter { $0.group.isEmpty }))
            }
            return try await resource(request, group: "", version: "v1", Array(segments.dropFirst(2)))
        case "apis":
            if segments.count == 1 { return json(200, Discovery.groupList(store.resourceTypes)) }
            let group = segments[1]
            let types = store.resourceTypes.filter { $0.group == group }
            guard !types.isEmpty else { throw APIError.resourceNotFound }
            if segments.count == 2 { return json(200, Discovery.group(name: group, types: types)) }
            let version = segments[2]
            guard types.contains(where: { $0.versions.contains(version) }) else { throw APIError.resourceNotFound }
            if segments.count == 3 {
                return json(200, Discovery.resourceList(groupVersion: "\(group)/\(version)", version: version, types: types))
            }
            return try await resource(request, group: group, version: version, Array(segments.dropFirst(3)))
        default:
            return .text(404, "404 page not found\n")
        }
    }

    private struct Target {
        var type: ResourceType
        var version: String
        var namespace: String?
        var name: String?
        var subresource: String?
        var legacyWatch: Bool
    }

    private func resource(_ request: HTTPRequest, group: String, version: String,
                          _ path: [String]) async throws(APIError) -> HTTPResponse {
        var rest = path
        var legacyWatch = false
        if rest.first == "watch" { legacyWatch = true; rest.removeFirst() }
        var namespace: String?
        if rest.count >= 3, rest[0] == "namespaces", !(rest.count == 3 && ["status", "finalize"].contains(rest[2])) {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard let resourceName = rest.first, rest.count <= 3,
              let type = store.resourceType(group: group, version: version, resource: resourceName)
        else { throw APIError.resourceNotFound }
        if namespace != nil, !type.namespaced { throw APIError.resourceNotFound }
        let target = Target(type: type, version: version, namespace: namespace, name: rest.count > 1 ? rest[1] : nil,
                            subresource: rest.count > 2 ? rest[2] : nil, legacyWatch: legacyWatch)
        if let sub = target.subresource {
            let allowed = (sub == "status" && type.hasStatusSubresource) || (sub == "token" && type.key == "serviceaccounts")
            guard allowed else { throw APIError.resourceNotFound }
        }
        let query = Query(request.queryItems())
        let accept = ResponseShape(accept: request.headers["Accept"] ?? "")

        switch (request.method, target.name) {
        case ("GET", nil):
            if target.legacyWatch || query.bool("watch") { return try watch(target, query, accept) }
            return try list(target, query, accept)
        case ("GET", let name?):
            if target.legacyWatch || query.bool("watch") {
                var q = query
                q.values["fieldSelector"] = "metadata.name=\(name)"
                return try watch(Target(type: type, version: version, namespace: namespace, name: nil, subresource: nil,
                                        legacyWatch: true), q, accept)
            }
            let object = try store.get(type, namespace: namespace, name: name)
            return json(200, accept.render(object, type: type, version: version))
        case ("POST", nil):
            let body = try parseBody(request)
            let manager = query.values["fieldManager"]
            let preview = try store.create(type, namespace: namespace, body, dryRun: true, fieldManager: manager)
            let warnings = try await admission.validate(AdmissionAttributes(
                operation: "CREATE", type: type, version: version, subresource: nil, namespace: namespace,
                name: preview[path: ["metadata", "name"]]?.stringValue ?? "", object: preview, oldObject: nil,
                dryRun: query.dryRun))
            let object = query.dryRun ? preview : try store.create(type, namespace: namespace, body, fieldManager: manager)
            return json(201, accept.render(object, type: type, version: version), warnings: warnings)
        case ("POST", let name?) where target.subresource == "token":
            return try tokenRequest(namespace: namespace ?? "", serviceAccount: name, body: try parseBody(request))
        case ("PUT", let name?):
            let body = try parseBody(request)
            let old = try store.get(type, namespace: namespace, name: name)
            let preview = try store.update(type, namespace: namespace, name: name, body, subresource: target.subresource,
                                           dryRun: true)
            let warnings = try await admission.validate(AdmissionAttributes(
                operation: "UPDATE", type: type, version: version, subresource: target.subresource, namespace: namespace,
                name: name, object: preview, oldObject: old, dryRun: query.dryRun))
            let object = query.dryRun ? preview : try store.update(type, namespace: namespace, name: name, body,
                                                                   subresource: target.subresource)
            return json(200, accept.render(object, type: type, version: version), warnings: warnings)
        case ("PATCH", let name?):
            let contentType = request.headers["Content-Type"] ?? "application/merge-patch+json"
            let old = try? store.get(type, namespace: namespace, name: name)
            let manager = query.values["fieldManager"]
            let preview = try store.patch(type, namespace: namespace, name: name, contentType: contentType,
                                          body: request.body, subresource: target.subresource, dryRun: true,
                                          fieldManager: manager, force: query.bool("force"))
            let warnings = try await admission.validate(AdmissionAttributes(
                operation: preview.created ? "CREATE" : "UPDATE", type: type, version: version,
                subresource: target.subresource, namespace: namespace, name: name, object: preview.object,
                oldObject: old, dryRun: query.dryRun))
            let result = query.dryRun ? preview : try store.patch(
                type, namespace: namespace, name: name, contentType: contentType, body: request.body,
                subresource: target.subresource, fieldManager: manager, force: query.bool("force"))
            return json(result.created ? 201 : 200, accept.render(result.object, type: type, version: version),
                        warnings: warnings)
        case ("DELETE", let name?):
            let options = try deleteOptions(request, query)
            let old = try store.get(type, namespace: namespace, name: name)
            let warnings = try await admission.validate(AdmissionAttributes(
                operation: "DELETE", type: type, version: version, subresource: nil, namespace: namespace, name: name,
                object: nil, oldObject: old, dryRun: options.dryRun))
            let object = try store.delete(type, namespace: namespace, name: name, options: options)
            return json(200, accept.render(object, type: type, version: version), warnings: warnings)
        case ("DELETE", nil):
            let deleted = try store.deleteCollection(type, namespace: namespace, labels: try query.labels(),
                                                     fields: try query.fields(), options: try deleteOptions(request, query))
            return json(200, accept.renderList(deleted, type: type, version: version, resourceVersion: store.currentResourceVersion,
                                               continueToken: nil, remaining: nil))
        default:
            throw APIError.methodNotAllowed(request.method)
        }
    }

    // MARK: - Verbs

    private func list(_ target: Target, _ query: Query, _ accept: ResponseShape) throws(APIError) -> HTTPResponse {
        let result = try store.list(target.type, namespace: target.namespace, labels: try query.labels(),
                                    fields: try query.fields(), limit: query.values["limit"].flatMap { Int($0) },
                                    continueToken: query.values["continue"])
        return json(200, accept.renderList(result.items, type: target.type, version: target.version,
                                           resourceVersion: result.resourceVersion, continueToken: result.continueToken,
                                           remaining: result.remainingItemCount))
    }

    private func watch(_ target: Target, _ query: Query, _ accept: ResponseShape) throws(APIError) -> HTTPResponse {
        let type = target.type, version = target.version
        let timeout = query.values["timeoutSeconds"].flatMap { Int($0) }.map { Duration.seconds($0) }
        let stream = store.watch(
            type, namespace: target.namespace, resourceVersion: query.values["resourceVersion"],
            labels: try query.labels(), fields: try query.fields(),
            sendInitialEvents: query.values["sendInitialEvents"].map { $0 == "true" },
            bookmarks: query.bool("allowWatchBookmarks"), bookmarkInterval: options.bookmarkInterval,
            timeout: timeout,
            render: { accept.render($0, type: type, version: version) },
            bookmarkObject: { rv in accept.bookmark(type: type, version: version, resourceVersion: rv) })
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Cache-Control", value: "no-cache, private")
        return HTTPResponse(status: 200, headers: headers, body: .stream(stream))
    }

    private func tokenRequest(namespace: String, serviceAccount: String, body: JSON) throws(APIError) -> HTTPResponse {
        guard let saType = store.resourceType(group: "", resource: "serviceaccounts") else { throw APIError.resourceNotFound }
        let sa = try store.get(saType, namespace: namespace, name: serviceAccount)
        let requested = body[path: ["spec", "expirationSeconds"]]?.intValue ?? 3600
        if requested < 600 {
            throw APIError(code: 422, reason: "Invalid",
                           message: "TokenRequest.authentication.k8s.io \"\(serviceAccount)\" is invalid: spec.expirationSeconds: Invalid value: \(requested): may not specify a duration less than 10 minutes")
        }
        var audiences = body[path: ["spec", "audiences"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        if audiences.isEmpty { audiences = [ServiceAccountTokens.issuer] }
        let issued = tokens.issue(namespace: namespace, name: serviceAccount,
                                  uid: sa[path: ["metadata", "uid"]]?.stringValue ?? "", audiences: audiences,
                                  expirationSeconds: requested, now: Timestamps.now())
        var response: JSON = ["kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                              "metadata": ["name": .string(serviceAccount), "namespace": .string(namespace),
                                           "creationTimestamp": .null]]
        response["spec"] = ["audiences": .array(audiences.map { .string($0) }),
                            "expirationSeconds": .number(JSONNumber(requested)),
                            "boundObjectRef": body[path: ["spec", "boundObjectRef"]] ?? .null]
        response["status"] = ["token": .string(issued.token),
                              "expirationTimestamp": .string(Timestamps.rfc3339(issued.expires))]
        return json(201, response)
    }

    private func deleteOptions(_ request: HTTPRequest, _ query: Query) throws(APIError) -> DeleteOptions {
        var options = DeleteOptions(propagationPolicy: query.values["propagationPolicy"], dryRun: query.dryRun)
        if !request.body.isEmpty {
            let body = try parseBody(request)
            options.preconditionUID = body[path: ["preconditions", "uid"]]?.stringValue
            options.preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.stringValue
            if let policy = body["propagationPolicy"]?.stringValue { options.propagationPolicy = policy }
            if let orphan = body["orphanDependents"]?.boolValue, orphan { options.propagationPolicy = "Orphan" }
            if let dryRun = body["dryRun"]?.arrayValue, dryRun.contains(.string("All")) { options.dryRun = true }
        }
        return options
    }

    private func parseBody(_ request: HTTPRequest) throws(APIError) -> JSON {
        do { return try JSON.parse(request.body) } catch {
            throw APIError.badRequest("error decoding request body: \(error.message)")
        }
    }

    // MARK: - Responses

    private func json(_ status: Int, _ value: JSON, warnings: [String] = []) -> HTTPResponse {
        var response = HTTPResponse.json(status, value.serialized())
        for warning in warnings {
            let escaped = warning.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            response.headers.add(name: "Warning", value: "299 - \"\(escaped)\"")
        }
        return response
    }

    private func statusResponse(_ error: APIError) -> HTTPResponse { json(error.code, error.status) }

    private func reason(for status: Int) -> String {
        switch status {
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        case 409: return "Conflict"
        case 404: return "NotFound"
        default: return "Unknown"
        }
    }
}

/// Query parameters, last value wins.
struct Query {
    var values: [String: String] = [:]

    init(_ items: [(name: String, value: String)]) {
        for (name, value) in items { values[name] = value }
    }

    func bool(_ name: String) -> Bool {
        guard let value = values[name] else { return false }
        return value == "1" || value == "true" || value == ""
    }

    var dryRun: Bool { values["dryRun"] == "All" }

    func labels() throws(APIError) -> LabelSelector {
        guard let text = values["labelSelector"], !text.isEmpty else { return .everything }
        return try LabelSelector(parsing: text)
    }

    func fields() throws(APIError) -> FieldSelector {
        guard let text = values["fieldSelector"], !text.isEmpty else { return .everything }
        return try FieldSelector(parsing: text)
    }
}
