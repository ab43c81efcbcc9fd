import ESAPI
import ESJSON

/// ESO's documented defaults, written explicitly (what the CRDs would default, plus what the
/// controller assumes when a field is empty), so `kubectl get -o yaml` shows what will happen.
/// A value the user set is never changed.
public enum Defaulter {
    public static let refreshInterval: JSON = "1h0m0s"

    /// The ExternalSecret with every default filled in.
    public static func defaulted(externalSecret json: JSON, name: String) -> JSON {
        var object = json
        object.updateObject("spec", create: true) { spec in
            spec.setDefault("refreshInterval", refreshInterval)
            spec.updateObject("secretStoreRef") { $0.setDefault("kind", "SecretStore") }
            spec.updateObject("target", create: true) { target in
                if !name.isEmpty { target.setDefault("name", .string(name)) }
                target.setDefault("creationPolicy", "Owner")
                target.setDefault("deletionPolicy", "Retain")
                target.updateObject("template") { template in
                    template.setDefault("engineVersion", "v2")
                    template.setDefault("mergePolicy", "Replace")
                    template.updateEachElement("templateFrom") { from in
                        for source in ["configMap", "secret"] {
                            from.updateObject(source) { ref in
                                ref.updateEachElement("items") { $0.setDefault("templateAs", "Values") }
                            }
                        }
                    }
                }
            }
            spec.updateEachElement("data") { item in
                item.updateObject("remoteRef", remoteRef)
                item.updateObject("sourceRef", sourceRef)
            }
            spec.updateEachElement("dataFrom") { item in
                item.updateObject("extract", remoteRef)
                item.updateObject("find") { find in
                    find.setDefault("conversionStrategy", "Default")
                    find.setDefault("decodingStrategy", "None")
                }
                item.updateObject("sourceRef", sourceRef)
            }
        }
        return object
    }

    static func remoteRef(_ ref: inout JSON) {
        ref.setDefault("conversionStrategy", "Default")
        ref.setDefault("decodingStrategy", "None")
        ref.setDefault("metadataPolicy", "None")
    }

    static func sourceRef(_ ref: inout JSON) {
        ref.updateObject("storeRef") { $0.setDefault("kind", "SecretStore") }
        ref.updateObject("generatorRef") { $0.setDefault("apiVersion", "generators.external-secrets.io/v1alpha1") }
    }

    /// The store with its provider's defaults filled in.
    public static func defaulted(store json: JSON) -> JSON {
        var object = json
        object.updateObject("spec") { spec in
            spec.updateObject("provider") { provider in
                provider.updateObject("vault", vault)
                provider.updateObject("openBao", vault)
                provider.updateObject("kubernetes") { kube in
                    kube.setDefault("remoteNamespace", "default")
                    kube.updateObject("server") { $0.setDefault("url", "kubernetes.default") }
                }
                provider.updateObject("azurekv") { azure in
                    azure.setDefault("authType", "ServicePrincipal")
                    azure.setDefault("environmentType", "PublicCloud")
                }
                provider.updateObject("gcpsm") { $0.setDefault("secretVersionSelectionPolicy", "LatestOrFail") }
            }
        }
        return object
    }

    static func vault(_ vault: inout JSON) {
        vault.setDefault("version", "v2")
        vault.updateObject("auth") { auth in
            auth.updateObject("appRole") { $0.setDefault("path", "approle") }
            auth.updateObject("kubernetes") { $0.setDefault("mountPath", "kubernetes") }
            auth.updateObject("ldap") { $0.setDefault("path", "ldap") }
            auth.updateObject("userPass") { $0.setDefault("path", "userpass") }
            auth.updateObject("jwt") { $0.setDefault("path", "jwt") }
            auth.updateObject("cert") { $0.setDefault("path", "cert") }
            auth.updateObject("gcp") { $0.setDefault("path", "gcp") }
        }
    }

    /// JSONPatch operations that default `externalSecret` (empty when nothing is missing).
    public static func patch(externalSecret: ExternalSecret) -> [JSON] {
        DefaultsPatch.operations(from: externalSecret.json,
                                 to: defaulted(externalSecret: externalSecret.json, name: externalSecret.metadata.name))
    }

    /// JSONPatch operations that default `store` (empty when nothing is missing).
    public static func patch(store: SecretStore) -> [JSON] {
        DefaultsPatch.operations(from: store.json, to: defaulted(store: store.json))
    }
}
