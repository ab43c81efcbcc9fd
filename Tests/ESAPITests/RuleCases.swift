import ESJSON
import ESYAML
import Testing

/// One webhook rule case: an object (YAML), the errors upstream's webhook denies it with (in
/// order) and the warnings it returns.
struct RuleCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var errors: [String]
    var warnings: [String] = []

    var testDescription: String { name }

    var json: JSON {
        // The tables are written by hand; a broken one should fail loudly in the test that uses it.
        (try? YAML.parse(yaml)) ?? .null
    }
    var kind: String { json["kind"]?.stringValue ?? "" }
}

let referentError = "namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore"

/// An ExternalSecret in namespace `default` with `spec` given as YAML indented by four spaces.
func externalSecretYAML(_ spec: String, version: String = "v1", name: String = "es") -> String {
    """
    apiVersion: external-secrets.io/\(version)
    kind: ExternalSecret
    metadata:
      name: \(name)
      namespace: default
    spec:
    \(spec)
    """
}

/// A store of `kind` (namespace `default` for SecretStore) with `provider` YAML indented by six spaces.
func storeYAML(_ kind: String = "SecretStore", provider: String, extraSpec: String = "") -> String {
    let namespace = kind == "SecretStore" ? "\n  namespace: default" : ""
    return """
    apiVersion: external-secrets.io/v1
    kind: \(kind)
    metadata:
      name: store\(namespace)
    spec:
    \(extraSpec)  provider:
    \(provider)
    """
}

let dataEntry = """
      data:
      - secretKey: a
        remoteRef:
          key: k
    """

let externalSecretCases: [RuleCase] = [
    RuleCase(name: "valid minimal", yaml: externalSecretYAML(dataEntry), errors: []),
    RuleCase(name: "Delete with Merge", yaml: externalSecretYAML("""
      target:
        creationPolicy: Merge
        deletionPolicy: Delete
    \(dataEntry)
    """), errors: ["deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner"]),
    RuleCase(name: "Delete with None", yaml: externalSecretYAML("""
      target:
        creationPolicy: None
        deletionPolicy: Delete
    \(dataEntry)
    """), errors: ["deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner"]),
    RuleCase(name: "Delete with CreateOrMerge", yaml: externalSecretYAML("""
      target:
        creationPolicy: CreateOrMerge
        deletionPolicy: Delete
    \(dataEntry)
    """), errors: ["deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner"]),
    RuleCase(name: "Delete with Orphan is allowed", yaml: externalSecretYAML("""
      target:
        creationPolicy: Orphan
        deletionPolicy: Delete
    \(dataEntry)
    """), errors: []),
    RuleCase(name: "Delete with Owner is allowed", yaml: externalSecretYAML("""
      target:
        deletionPolicy: Delete
    \(dataEntry)
    """), errors: []),
    RuleCase(name: "Merge deletion with None creation", yaml: externalSecretYAML("""
      target:
        creationPolicy: None
        deletionPolicy: Merge
    \(dataEntry)
    """), errors: ["deletionPolicy=Merge must not be used with creationPolicy=None. There is no Secret to merge with"]),
    RuleCase(name: "no data nor dataFrom", yaml: externalSecretYAML("""
      secretStoreRef:
        name: s
    """), errors: ["either data or dataFrom should be specified"]),
    RuleCase(name: "errors in evaluation order", yaml: externalSecretYAML("""
      target:
        creationPolicy: None
        deletionPolicy: Merge
    """), errors: [
        "deletionPolicy=Merge must not be used with creationPolicy=None. There is no Secret to merge with",
        "either data or dataFrom should be specified",
    ]),
    RuleCase(name: "service-account-token with SA annotation", yaml: externalSecretYAML("""
      target:
        template:
          type: kubernetes.io/service-account-token
          metadata:
            annotations:
              kubernetes.io/service-account.name: default
    \(dataEntry)
    """), errors: [#"template.type="kubernetes.io/service-account-token" with annotation "kubernetes.io/service-account.name" is not allowed"#]),
    RuleCase(name: "service-account-token with templateFrom target annotations", yaml: externalSecretYAML("""
      target:
        template:
          type: kubernetes.io/service-account-token
          templateFrom:
          - target: annotations
            literal: "kubernetes.io/service-account.name: default"
    \(dataEntry)
    """), errors: [#"template.type="kubernetes.io/service-account-token" with templateFrom target="Annotations" is not allowed"#]),
    RuleCase(name: "service-account-token without SA annotation is allowed", yaml: externalSecretYAML("""
      target:
        template:
          type: kubernetes.io/service-account-token
          metadata:
            annotations:
              other: x
    \(dataEntry)
    """), errors: []),
    RuleCase(name: "bootstrap token", yaml: externalSecretYAML("""
      target:
        template:
          type: bootstrap.kubernetes.io/token
    \(dataEntry)
    """), errors: [#"template.type="bootstrap.kubernetes.io/token" is not allowed"#]),
    RuleCase(name: "templateFrom target outside data/annotations/labels", yaml: externalSecretYAML("""
      target:
        template:
          templateFrom:
          - target: type
            literal: x
          - target: LABELS
            literal: "a: b"
          - target: Metadata.Annotations.kubernetes.io/service-account.name
            literal: z
    \(dataEntry)
    """), errors: [
        #"templateFrom target="type" is not allowed when targeting a Secret, must be one of "Data", "Annotations" or "Labels""#,
        #"templateFrom target="Metadata.Annotations.kubernetes.io/service-account.name" is not allowed when targeting a Secret, must be one of "Data", "Annotations" or "Labels""#,
    ]),
    RuleCase(name: "templateFrom dotted target on a generic target", yaml: externalSecretYAML("""
      target:
        manifest:
          apiVersion: v1
          kind: ConfigMap
        template:
          templateFrom:
          - target: spec.data
            literal: x
    \(dataEntry)
    """), errors: []),
    RuleCase(name: "templateFrom dotted target on an explicit Secret manifest", yaml: externalSecretYAML("""
      target:
        manifest:
          apiVersion: v1
          kind: Secret
        template:
          templateFrom:
          - target: immutable
            literal: x
    \(dataEntry)
    """), errors: [#"templateFrom target="immutable" is not allowed when targeting a Secret, must be one of "Data", "Annotations" or "Labels""#]),
    RuleCase(name: "dataFrom find and extract together", yaml: externalSecretYAML("""
      dataFrom:
      - find:
          path: a
        extract:
          key: b
    """), errors: ["extract, find, or generatorRef cannot be set at the same time"]),
    RuleCase(name: "dataFrom extract and generatorRef together", yaml: externalSecretYAML("""
      dataFrom:
      - extract:
          key: b
        sourceRef:
          generatorRef:
            kind: Password
            name: p
    """), errors: ["extract, find, or generatorRef cannot be set at the same time"]),
    RuleCase(name: "dataFrom extract with storeRef is allowed", yaml: externalSecretYAML("""
      dataFrom:
      - extract:
          key: b
        sourceRef:
          storeRef:
            name: other
    """), errors: []),
    RuleCase(name: "dataFrom entry without a source", yaml: externalSecretYAML("""
      dataFrom:
      - rewrite:
        - regexp:
            source: a
            target: b
    """), errors: ["either extract, find, or sourceRef must be set to dataFrom"]),
    RuleCase(name: "dataFrom sourceRef without generatorRef or storeRef", yaml: externalSecretYAML("""
      dataFrom:
      - sourceRef: {}
    """), errors: ["generatorRef or storeRef must be set when using sourceRef in dataFrom"]),
    RuleCase(name: "every dataFrom entry is checked", yaml: externalSecretYAML("""
      dataFrom:
      - {}
      - find:
          path: a
        extract:
          key: b
    """), errors: [
        "either extract, find, or sourceRef must be set to dataFrom",
        "extract, find, or generatorRef cannot be set at the same time",
    ]),
    RuleCase(name: "duplicate secretKey with Retain", yaml: externalSecretYAML("""
      data:
      - secretKey: a
        remoteRef:
          key: k1
      - secretKey: a
        remoteRef:
          key: k2
      - secretKey: b
        remoteRef:
          key: k3
      - secretKey: a
        remoteRef:
          key: k4
    """), errors: ["duplicate secretKey found: a", "duplicate secretKey found: a"]),
    RuleCase(name: "duplicate secretKey with Delete is allowed", yaml: externalSecretYAML("""
      target:
        deletionPolicy: Delete
      data:
      - secretKey: a
        remoteRef:
          key: k1
      - secretKey: a
        remoteRef:
          key: k2
    """), errors: []),
    RuleCase(name: "v1beta1 follows the same rules", yaml: externalSecretYAML("""
      target:
        creationPolicy: None
        deletionPolicy: Delete
    """, version: "v1beta1"), errors: [
        "deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner",
        "either data or dataFrom should be specified",
    ]),
]
