import ESJSON
import ESTemplate
import ESYAML
import Testing

@Suite struct SecretTemplateRendererTests {
    let fetched: [String: [UInt8]] = ["username": Array("admin".utf8), "password": Array("s3cr3t".utf8)]

    func spec(_ yaml: String) throws -> SecretTemplateSpec {
        try SecretTemplateSpec(json: try YAML.parse(yaml))
    }

    @Test func noTemplateCopiesFetchedData() throws {
        var secret = RenderedSecret(data: ["old": [1]])
        try SecretTemplateRenderer.apply(nil, fetched: fetched, to: &secret)
        #expect(secret.data["username"] == Array("admin".utf8))
        #expect(secret.data["old"] == [1])
    }

    @Test func dataTemplatesReplaceFetchedKeys() throws {
        let s = try spec("""
            type: kubernetes.io/basic-auth
            data:
              url: "postgresql://{{ .username }}:{{ .password }}@db:5432/app"
            """)
        var secret = RenderedSecret()
        try SecretTemplateRenderer.apply(s, fetched: fetched, to: &secret)
        #expect(secret.type == "kubernetes.io/basic-auth")
        #expect(secret.data == ["url": Array("postgresql://admin:s3cr3t@db:5432/app".utf8)])
    }

    @Test func mergePolicyMergeKeepsFetchedKeys() throws {
        let s = try spec("mergePolicy: Merge\ndata:\n  extra: '{{ .username | upper }}'\n")
        var secret = RenderedSecret()
        try SecretTemplateRenderer.apply(s, fetched: fetched, to: &secret)
        #expect(secret.data["extra"] == Array("ADMIN".utf8))
        #expect(secret.data["password"] == Array("s3cr3t".utf8))
    }

    @Test func templateWithOnlyMetadataCopiesFetchedData() throws {
        let s = try spec("metadata:\n  labels:\n    owner: '{{ .username }}'\n  annotations:\n    note: fixed\n")
        var secret = RenderedSecret()
        try SecretTemplateRenderer.apply(s, fetched: fetched, to: &secret)
        #expect(secret.labels == ["owner": "admin"])
        #expect(secret.annotations == ["note": "fixed"])
        #expect(secret.data.count == 2)
    }

    @Test func templateFromConfigMapSecretAndLiteral() throws {
        let s = try spec("""
            templateFrom:
            - configMap:
                name: cm
                items:
                - key: config.yaml
                - key: pairs
                  templateAs: KeysAndValues
            - secret:
                name: sec
                items:
                - key: tpl
              target: Annotations
            - literal: "lit-{{ .username }}: '{{ .password }}'"
              target: Labels
            data:
              config.yaml: "overridden by data"
            """)
        let sources = TemplateSources(
            configMaps: ["cm": ["config.yaml": "user: {{ .username }}\n", "pairs": "a: '{{ .username }}'\nb: \"2\"\n"]],
            secrets: ["sec": ["tpl": Array("{{ .password | b64enc }}".utf8)]])
        var secret = RenderedSecret()
        try SecretTemplateRenderer.apply(s, fetched: fetched, sources: sources, to: &secret)
        #expect(secret.data["config.yaml"] == Array("overridden by data".utf8))
        #expect(secret.data["a"] == Array("admin".utf8))
        #expect(secret.data["b"] == Array("2".utf8))
        #expect(secret.annotations["tpl"] == "czNjcjN0")
        #expect(secret.labels["lit-admin"] == "s3cr3t")
        #expect(secret.data["username"] == nil)
    }

    @Test func valuesDecodingStrategyBase64() throws {
        let s = try spec("""
            templateFrom:
            - configMap: {name: cm, items: [{key: k}]}
              valuesDecodingStrategy: Base64
            """)
        var secret = RenderedSecret()
        try SecretTemplateRenderer.apply(s, fetched: fetched, sources: TemplateSources(configMaps: ["cm": ["k": "{{ .username | b64enc }}"]]), to: &secret)
        #expect(secret.data["k"] == Array("admin".utf8))
    }

    @Test func errorsCarryESOWrapping() throws {
        var secret = RenderedSecret(data: ["keep": [7]])
        let missingKey = try spec("data:\n  x: '{{ .nope }}'\n")
        #expect {
            try SecretTemplateRenderer.apply(missingKey, fetched: fetched, to: &secret)
        } throws: { error in
            "\(error)" == "could not execute template: unable to execute template at key x: unable to execute template at key x: template: x:1:3: executing \"x\" at <.nope>: map has no entry for key \"nope\""
        }
        let badSyntax = try spec("data:\n  x: '{{ .a '\n")
        #expect { try SecretTemplateRenderer.apply(badSyntax, fetched: fetched, to: &secret) } throws: { error in
            "\(error)".hasPrefix("could not execute template: unable to execute template at key x: unable to parse template at key x: template: x:1:")
        }
        let v1 = try spec("engineVersion: v1\n")
        #expect { try SecretTemplateRenderer.apply(v1, fetched: fetched, to: &secret) } throws: { error in
            "\(error)" == "unsupported template engine version: v1"
        }
        let missingCM = try spec("templateFrom:\n- configMap: {name: nope, items: [{key: k}]}\n")
        #expect { try SecretTemplateRenderer.apply(missingCM, fetched: fetched, to: &secret) } throws: { error in
            (error as? TemplateApplyError)?.isSourceNotFound == true && "\(error)" == "configmaps \"nope\" not found"
        }
        let missingItem = try spec("templateFrom:\n- configMap: {name: cm, items: [{key: k}]}\n")
        #expect {
            try SecretTemplateRenderer.apply(missingItem, fetched: fetched, sources: TemplateSources(configMaps: ["cm": [:]]), to: &secret)
        } throws: { error in
            "\(error)" == "error fetching templateFrom data: error in configmap cm: missing key k"
        }
        let notAMap = try spec("templateFrom:\n- literal: '- a'\n")
        #expect { try SecretTemplateRenderer.apply(notAMap, fetched: fetched, to: &secret) } throws: { error in
            "\(error)".contains("could not unmarshal template to 'map[string][]byte'")
        }
        #expect(secret.data == ["keep": [7]])
    }

    @Test func binaryDataSurvivesTemplates() throws {
        let binary: [UInt8] = [0x00, 0xFF, 0xC3, 0x28, 0x80, 0x41]
        let s = try spec("data:\n  copy: '{{ .bin }}'\n  roundtrip: '{{ .bin | b64enc | b64dec }}'\n  b64: '{{ .bin | b64enc }}'\n")
        var secret = RenderedSecret()
        try SecretTemplateRenderer.apply(s, fetched: ["bin": binary], to: &secret)
        #expect(secret.data["copy"] == binary)
        #expect(secret.data["roundtrip"] == binary)
        #expect(secret.data["b64"] == Array("AP/DKIBB".utf8))
        let bytes = try TemplateEngine.renderBytes(template: "{{ .bin | len }}", name: "k", data: ["bin": binary])
        #expect(bytes == Array("6".utf8))
    }

    @Test func referencedSourcesAreListed() throws {
        let s = try spec("templateFrom:\n- configMap: {name: a, items: []}\n- secret: {name: b, items: []}\n")
        #expect(s.referencedConfigMaps == ["a"])
        #expect(s.referencedSecrets == ["b"])
    }
}

@Suite struct EngineAPITests {
    @Test func limitsStopRunawayTemplates() throws {
        let limits = TemplateLimits(maxSteps: 1000, maxOutputBytes: 100, maxDepth: 5)
        #expect { try TemplateEngine.render(template: "{{ range 100000 }}x{{ end }}", name: "k", data: [String: String](), limits: limits) } throws: { e in
            "\(e)".contains("execution stopped")
        }
        #expect { try TemplateEngine.render(template: "{{ range 50 }}abcdef{{ end }}", name: "k", data: [String: String](), limits: limits) } throws: { e in
            "\(e)".contains("output larger than 100 bytes")
        }
        #expect { try TemplateEngine.render(template: "{{ repeat 100000000 \"abcdefghij\" }}", name: "k", data: [String: String]()) } throws: { e in
            "\(e)".contains("error calling repeat")
        }
    }

    @Test func parsedTemplatesExposeDefinitions() throws {
        let t = try GoTemplate("{{ define \"a\" }}A{{ end }}{{ block \"b\" . }}B{{ end }}{{ template \"a\" }}", name: "main")
        #expect(t.definedTemplates == ["a", "b"])
        #expect(try t.execute(.stringMap([:])) == "BA")
    }

    @Test func functionMapMatchesESOv2() {
        let names = Set(FunctionMap.eso.names)
        for removed in ["env", "expandenv", "getHostByName", "required", "tpl", "include", "lookup"] {
            #expect(!names.contains(removed), "\(removed) must not be available")
        }
        for present in ["toYaml", "fromYaml", "pkcs12key", "filterPEM", "jwkPublicKeyPem", "rsaDecrypt", "b64dec", "sha256sum",
                        "regexReplaceAll", "semverCompare", "dateInZone", "mustToDate", "htpasswd", "index", "printf"] {
            #expect(names.contains(present), "\(present) missing")
        }
    }
}
