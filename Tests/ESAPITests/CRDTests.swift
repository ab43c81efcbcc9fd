import ESJSON
import ESYAML
import Foundation
import Testing

let crdDirectory: String = {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path + "/deploy/crds"
}()

func loadCRD(_ plural: String) throws -> JSON {
    try YAML.parse(try readFile("\(crdDirectory)/external-secrets.io_\(plural).yaml"))
}

/// Structural-schema violations under `schema` (every node typed, required ⊆ properties, defaults
/// within enums and of the declared type).
func structuralProblems(_ schema: JSON, path: String) -> [String] {
    var problems: [String] = []
    let preserve = schema["x-kubernetes-preserve-unknown-fields"] == true
    let intOrString = schema["x-kubernetes-int-or-string"] == true
    let type = schema["type"]?.stringValue
    if type == nil && !intOrString { problems.append("\(path): no type") }
    if let required = schema["required"]?.arrayValue {
        let properties = schema["properties"]?.objectValue?.keys ?? []
        for name in required.compactMap(\.stringValue) where !properties.contains(name) && !preserve {
            problems.append("\(path): required \(name) is not a property")
        }
    }
    if let def = schema["default"] {
        if let values = schema["enum"]?.arrayValue, !values.contains(def) { problems.append("\(path): default not in enum") }
        switch (type, def) {
        case ("string", .string), ("boolean", .bool), ("integer", .number), ("object", .object), ("array", .array): break
        default: problems.append("\(path): default \(def) does not match type \(type ?? "-")")
        }
    }
    if schema["pattern"] != nil && type != "string" { problems.append("\(path): pattern on a non-string") }
    for (name, child) in schema["properties"]?.objectValue ?? JSONObject() {
        problems += structuralProblems(child, path: "\(path).\(name)")
    }
    if let items = schema["items"] { problems += structuralProblems(items, path: "\(path)[]") }
    if let additional = schema["additionalProperties"], case .object = additional {
        problems += structuralProblems(additional, path: "\(path).*")
    }
    return problems
}

@Suite struct CRDTests {
    @Test(arguments: [
        ("externalsecrets", "ExternalSecret", "es", "Namespaced", ["StoreType", "Store", "Refresh Interval", "Status", "Ready", "Last Sync"]),
        ("secretstores", "SecretStore", "ss", "Namespaced", ["AGE", "Status", "Capabilities", "Ready"]),
        ("clustersecretstores", "ClusterSecretStore", "css", "Cluster", ["AGE", "Status", "Capabilities", "Ready"]),
    ])
    func definition(plural: String, kind: String, shortName: String, scope: String, columns: [String]) throws {
        let crd = try loadCRD(plural)
        #expect(crd["apiVersion"] == "apiextensions.k8s.io/v1")
        #expect(crd["kind"] == "CustomResourceDefinition")
        #expect(crd["metadata"]?["name"]?.stringValue == "\(plural).external-secrets.io")
        #expect(crd["metadata"]?["labels"]?["external-secrets.io/component"] == "controller")
        let spec = try #require(crd["spec"])
        #expect(spec["group"] == "external-secrets.io")
        #expect(spec["scope"]?.stringValue == scope)
        #expect(spec["names"]?["kind"]?.stringValue == kind)
        #expect(spec["names"]?["plural"]?.stringValue == plural)
        #expect(spec["names"]?["shortNames"] == [.string(shortName)])
        #expect(spec["names"]?["categories"] == ["external-secrets"])
        #expect(spec["conversion"] == nil)
        let versions = try #require(spec["versions"]?.arrayValue)
        #expect(versions.compactMap { $0["name"]?.stringValue } == ["v1", "v1beta1"])
        #expect(versions.map { $0["served"] } == [true, true])
        #expect(versions.map { $0["storage"] } == [true, false])
        for version in versions {
            #expect(version["subresources"]?["status"] == .object(JSONObject()))
            #expect(version["additionalPrinterColumns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == columns)
            let schema = try #require(version["schema"]?["openAPIV3Schema"])
            #expect(structuralProblems(schema, path: "\(plural)/\(version["name"]?.stringValue ?? "")") == [])
        }
    }

    @Test func externalSecretDefaultsMatchTheMutatingWebhook() throws {
        let crd = try loadCRD("externalsecrets")
        let v1 = try #require(crd["spec"]?["versions"]?[0]?["schema"]?["openAPIV3Schema"]?["properties"]?["spec"]?["properties"])
        #expect(v1["refreshInterval"]?["default"] == "1h0m0s")
        #expect(v1["target"]?["default"] == ["creationPolicy": "Owner", "deletionPolicy": "Retain"])
        #expect(v1["target"]?["properties"]?["creationPolicy"]?["enum"] == ["Owner", "Orphan", "Merge", "None", "CreateOrMerge"])
        // v1 (ESO 2.9) no longer defaults remoteRef strategies; v1beta1 still does.
        #expect(v1["data"]?["items"]?["properties"]?["remoteRef"]?["properties"]?["decodingStrategy"]?["default"] == nil)
        let v1beta1 = try #require(crd["spec"]?["versions"]?[1]?["schema"]?["openAPIV3Schema"]?["properties"]?["spec"]?["properties"])
        #expect(v1beta1["data"]?["items"]?["properties"]?["remoteRef"]?["properties"]?["decodingStrategy"]?["default"] == "None")
        #expect(v1beta1["target"]?["properties"]?["creationPolicy"]?["enum"] == ["Owner", "Orphan", "Merge", "None"])
        #expect(v1beta1["syncWindows"] == nil)
    }

    @Test func storeProviderIsExactlyOneOfEveryProvider() throws {
        let crd = try loadCRD("secretstores")
        let provider = try #require(crd["spec"]?["versions"]?[0]?["schema"]?["openAPIV3Schema"]?["properties"]?["spec"]?["properties"]?["provider"])
        #expect(provider["minProperties"] == 1)
        #expect(provider["maxProperties"] == 1)
        let names = provider["properties"]?.objectValue?.keys ?? []
        for key in ["aws", "vault", "azurekv", "gcpsm", "kubernetes", "fake", "akeyless", "onepassword", "doppler", "gitlab", "webhook"] {
            #expect(names.contains(key), "\(key)")
        }
        #expect(provider["properties"]?["vault"]?["properties"]?["version"]?["default"] == "v2")
        #expect(provider["properties"]?["kubernetes"]?["properties"]?["remoteNamespace"]?["default"] == "default")
    }

    /// `kubectl apply --dry-run=client` needs API discovery to map the kind; a tiny discovery stub
    /// (python, loopback, ephemeral port) stands in for the API server.
    @Test func kubectlAcceptsTheCRDs() throws {
        guard let kubectl = findExecutable("kubectl"), let python = findExecutable("python3") else {
            Issue.record("kubectl and python3 are required")
            return
        }
        let kubeconfigDir = try makeTemporaryDirectory()
        let portFile = kubeconfigDir + "/port"
        let stub = Process()
        stub.executableURL = URL(fileURLWithPath: python)
        stub.arguments = ["-c", discoveryStub, portFile]
        try stub.run()
        // The test runner's blocked signal mask is inherited, so SIGTERM may be ignored: use SIGKILL.
        defer { kill(stub.processIdentifier, SIGKILL); stub.waitUntilExit() }
        var portLine = ""
        for _ in 0..<200 where portLine.isEmpty {
            portLine = ((try? readFile(portFile)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if portLine.isEmpty { usleep(50_000) }
        }
        #expect(!portLine.isEmpty)
        let apply = Process()
        apply.executableURL = URL(fileURLWithPath: kubectl)
        apply.arguments = ["--server", "http://127.0.0.1:\(portLine)", "apply", "--dry-run=client", "--validate=false", "-f", crdDirectory]
        apply.environment = ["KUBECONFIG": kubeconfigDir + "/none", "HOME": kubeconfigDir]
        let out = Pipe()
        apply.standardOutput = out
        apply.standardError = out
        try apply.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        apply.waitUntilExit()
        #expect(apply.terminationStatus == 0, "\(output)")
        for plural in ["externalsecrets", "secretstores", "clustersecretstores"] {
            #expect(output.contains("customresourcedefinition.apiextensions.k8s.io/\(plural).external-secrets.io created (dry run)"), "\(output)")
        }
    }
}

func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

let discoveryStub = #"""
import json, os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
DOCS = {
    "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": []},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [{"name": "apiextensions.k8s.io",
        "versions": [{"groupVersion": "apiextensions.k8s.io/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "apiextensions.k8s.io/v1", "version": "v1"}}]},
    "/apis/apiextensions.k8s.io/v1": {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "apiextensions.k8s.io/v1",
        "resources": [{"name": "customresourcedefinitions", "singularName": "customresourcedefinition", "namespaced": False,
                       "kind": "CustomResourceDefinition", "verbs": ["create", "get", "list", "patch", "update"]}]},
}
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        doc = DOCS.get(self.path.split("?")[0])
        body = json.dumps(doc if doc is not None else {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404}).encode()
        self.send_response(200 if doc is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
"""#
