import ESAPI
@testable import ESAdmission
import ESHTTP
import ESJSON
import ESYAML
import Synchronization
import Testing

/// An AdmissionReview as the API server sends it.
func admissionReview(_ object: JSON?, operation: String = "CREATE", uid: String = "0df28fbd-5f5f-11e8-bc74-36e6bb280816",
                     apiVersion: String = "admission.k8s.io/v1", dryRun: Bool = false) -> [UInt8] {
    var request: JSON = [
        "uid": .string(uid),
        "kind": ["group": "external-secrets.io", "version": "v1", "kind": .string(object?["kind"]?.stringValue ?? "")],
        "resource": ["group": "external-secrets.io", "version": "v1", "resource": "externalsecrets"],
        "namespace": "default",
        "operation": .string(operation),
        "userInfo": ["username": "admin"],
        "dryRun": .bool(dryRun),
    ]
    if let object { request["object"] = object }
    let review: JSON = ["apiVersion": .string(apiVersion), "kind": "AdmissionReview", "request": request]
    return review.serialized()
}

func routePath(for kind: String, webhook: String = "validate", version: String = "v1") -> String {
    "/\(webhook)-external-secrets-io-\(version)-\(kind.lowercased())"
}

/// Posts `body` to `path` through the handler; returns the HTTP status and the parsed body.
func post(_ handler: AdmissionHandler, _ path: String, _ body: [UInt8], method: String = "POST") async throws -> (Int, JSON) {
    let response = await handler.handle(HTTPRequest(method: method, target: path,
                                                    headers: ["Content-Type": "application/json"], body: body))
    guard case .bytes(let bytes) = response.body else { return (response.status, .null) }
    return (response.status, (try? JSON.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self)))
}

@Suite struct AdmissionHandlerTests {
    let handler = AdmissionHandler()

    @Test(arguments: externalSecretCases + storeCases)
    func webhookRule(_ rule: RuleCase) async throws {
        let (status, review) = try await post(handler, routePath(for: rule.kind), admissionReview(rule.json))
        #expect(status == 200)
        let response = try #require(review["response"])
        #expect(review["apiVersion"] == "admission.k8s.io/v1")
        #expect(review["kind"] == "AdmissionReview")
        #expect(response["uid"] == "0df28fbd-5f5f-11e8-bc74-36e6bb280816")
        #expect(response["allowed"]?.boolValue == rule.errors.isEmpty)
        if rule.errors.isEmpty {
            #expect(response["status"]?["code"] == 200)
        } else {
            #expect(response["status"]?["code"] == 403)
            #expect(response["status"]?["reason"] == "Forbidden")
            #expect(response["status"]?["message"]?.stringValue == rule.errors.joined(separator: "\n"))
        }
        #expect((response["warnings"]?.arrayValue ?? []).compactMap(\.stringValue) == rule.warnings)
    }

    @Test(arguments: [
        ("  refreshInterval: abc\n" + dataEntry, #"time: invalid duration "abc""#),
        ("  refreshInterval: \"300\"\n" + dataEntry, #"time: missing unit in duration "300""#),
        ("  data:\n  - secretKey: a\n    remoteRef:\n      key: 42", "json: cannot unmarshal number into Go struct field ExternalSecretDataRemoteRef.spec.data.remoteRef.key of type string"),
        ("  data: {}", "json: cannot unmarshal object into Go struct field ExternalSecretSpec.spec.data of type []v1.ExternalSecretData"),
        ("  target:\n    immutable: \"yes\"\n" + dataEntry, "json: cannot unmarshal string into Go struct field ExternalSecretTarget.spec.target.immutable of type bool"),
        ("  target: []\n" + dataEntry, "json: cannot unmarshal array into Go struct field ExternalSecretSpec.spec.target of type v1.ExternalSecretTarget"),
    ])
    func undecodableExternalSecretIsA400(spec: String, message: String) async throws {
        let json = try YAML.parse(externalSecretYAML(spec))
        let (status, review) = try await post(handler, routePath(for: "ExternalSecret"), admissionReview(json))
        #expect(status == 200)
        #expect(review["response"]?["allowed"] == false)
        #expect(review["response"]?["status"]?["code"] == 400)
        #expect(review["response"]?["status"]?["message"]?.stringValue == message)
    }

    @Test func undecodableStoreIsA400() async throws {
        let json = try YAML.parse(storeYAML(provider: "    aws:\n      service: SecretsManager\n      region: [a]"))
        let (_, review) = try await post(handler, routePath(for: "SecretStore"), admissionReview(json))
        #expect(review["response"]?["status"]?["code"] == 400)
        #expect(review["response"]?["status"]?["message"] == "json: cannot unmarshal array into Go struct field AWSProvider.spec.provider.aws.region of type string")
    }

    @Test(arguments: ["DELETE", "CONNECT"])
    func deleteAndConnectAreAllowedWithoutParsing(operation: String) async throws {
        let garbage: JSON = ["apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "spec": "not an object"]
        for kind in ["ExternalSecret", "SecretStore", "ClusterSecretStore"] {
            for webhook in ["validate", "mutate"] {
                let (status, review) = try await post(handler, routePath(for: kind, webhook: webhook), admissionReview(garbage, operation: operation))
                #expect(status == 200)
                #expect(review["response"]?["allowed"] == true)
                #expect(review["response"]?["patch"] == nil)
            }
        }
    }

    @Test func v1beta1ReviewIsAnsweredInKind() async throws {
        let rule = externalSecretCases[7]  // no data nor dataFrom
        let (_, review) = try await post(handler, routePath(for: "ExternalSecret", version: "v1beta1"),
                                         admissionReview(rule.json, apiVersion: "admission.k8s.io/v1beta1"))
        #expect(review["apiVersion"] == "admission.k8s.io/v1beta1")
        #expect(review["response"]?["allowed"] == false)
        #expect(review["response"]?["status"]?["message"] == "either data or dataFrom should be specified")
    }

    @Test func warningsComeWithDenials() async throws {
        let json = try YAML.parse(storeYAML(provider: "    fake:\n      data:\n      - key: \"\"\n        value: v"))
        let (_, review) = try await post(handler, routePath(for: "SecretStore"), admissionReview(json))
        #expect(review["response"]?["allowed"] == false)
        #expect(review["response"]?["warnings"] == [.string(fakeWarning)])
    }

    @Test func everyRouteIsServed() async throws {
        #expect(AdmissionRoute.all.count == 12)
        for route in AdmissionRoute.all {
            #expect(AdmissionRoute(path: route.path) == route)
            let (status, _) = try await post(handler, route.path, admissionReview(nil, operation: "DELETE"))
            #expect(status == 200)
        }
    }

    @Test(arguments: ["/", "/validate-external-secrets-io-v2-externalsecret", "/validate-external-secrets-io-v1-pushsecret",
                      "/mutate-external-secrets-io-v1-externalsecret/extra", "/convert", "/validate-external-secrets-io-v1"])
    func unknownPathIs404(path: String) async throws {
        let (status, _) = try await post(handler, path, admissionReview(nil, operation: "DELETE"))
        #expect(status == 404)
    }

    @Test(arguments: ["GET", "PUT", "DELETE"])
    func nonPostIs405(method: String) async throws {
        let (status, _) = try await post(handler, routePath(for: "ExternalSecret"), [], method: method)
        #expect(status == 405)
    }

    @Test(arguments: [
        ("", "request body is empty"),
        ("{", "couldn't parse AdmissionReview"),
        ("[]", "AdmissionReview must be a JSON object"),
        (#"{"apiVersion":"admission.k8s.io/v2","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE"}}"#, "unsupported AdmissionReview apiVersion"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#, "AdmissionReview has no request"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}"#, "request.uid is missing"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"PATCH"}}"#, "unsupported operation"),
    ])
    func malformedReviewIs400(body: String, message: String) async throws {
        let (status, review) = try await post(handler, routePath(for: "ExternalSecret"), Array(body.utf8))
        #expect(status == 400)
        #expect(review["response"]?["allowed"] == false)
        #expect(review["response"]?["status"]?["code"] == 400)
        #expect(review["response"]?["status"]?["message"]?.stringValue?.hasPrefix(message) == true)
    }

    @Test func createWithoutObjectIs400() async throws {
        let (_, review) = try await post(handler, routePath(for: "ExternalSecret"), admissionReview(nil))
        #expect(review["response"]?["status"]?["code"] == 400)
    }

    @Test func onAdmittedSeesAllowedNonDryRunExternalSecrets() async throws {
        let seen = Mutex<[String]>([])
        let hooked = AdmissionHandler(onAdmitted: { es, operation, dryRun in
            seen.withLock { $0.append("\(es.metadata.namespace)/\(es.metadata.name) \(operation.rawValue) \(dryRun)") }
        })
        let valid = externalSecretCases[0].json
        let invalid = externalSecretCases[7].json
        _ = try await post(hooked, routePath(for: "ExternalSecret"), admissionReview(valid))
        _ = try await post(hooked, routePath(for: "ExternalSecret"), admissionReview(valid, operation: "UPDATE"))
        _ = try await post(hooked, routePath(for: "ExternalSecret"), admissionReview(valid, dryRun: true))
        _ = try await post(hooked, routePath(for: "ExternalSecret"), admissionReview(invalid))
        _ = try await post(hooked, routePath(for: "ExternalSecret"), admissionReview(valid, operation: "DELETE"))
        _ = try await post(hooked, routePath(for: "ExternalSecret", webhook: "mutate"), admissionReview(valid))
        #expect(seen.withLock { $0 } == ["default/es CREATE false", "default/es UPDATE false"])
    }
}

@Suite struct AdmissionResponseBytesTests {
    @Test(arguments: [
        AdmissionResponse.allowed(uid: "705ab4f5-6393-11e8-b7cc-42010a800002"),
        .allowed(uid: "u", warnings: ["one \"quoted\"", "two <html> & \u{2028}"]),
        .allowed(uid: "u", patch: Array(#"[{"op":"add","path":"/spec/refreshInterval","value":"1h"}]"#.utf8)),
        .denied(uid: "u\n", message: "spec.data[0].secretKey: Required value\twith \u{01} control", warnings: ["w"]),
        .errored(uid: "", code: 400, message: "couldn't parse AdmissionReview: unexpected end of JSON input"),
    ])
    func directBytesEqualTheGenericSerialization(_ response: AdmissionResponse) throws {
        for apiVersion in ["admission.k8s.io/v1", "admission.k8s.io/v1beta1"] {
            #expect(response.reviewBytes(apiVersion: apiVersion) == response.reviewJSON(apiVersion: apiVersion).serialized())
        }
    }
}
