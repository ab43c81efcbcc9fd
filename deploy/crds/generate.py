#!/usr/bin/env python3
"""Generates the external-secrets.io CustomResourceDefinitions in this directory.

Run from anywhere: `python3 deploy/crds/generate.py` (needs PyYAML). The schemas follow upstream
ESO v2.9 (`config/crds/bases`): v1 is stored, v1beta1 is served with the same shapes minus the
v1-only fields, no conversion webhook (strategy None). Provider blocks that validation does not
spell out keep every field (`x-kubernetes-preserve-unknown-fields`).
"""
import copy
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
GROUP = "external-secrets.io"
KEY_PATTERN = "^[-._a-zA-Z0-9]+$"
SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
CRON = "^(@(annually|yearly|monthly|weekly|daily|midnight|hourly)|@every [^\\s]+.*|[^\\s]+( [^\\s]+){4})$"


def string(**kw):
    return dict(type="string", **kw)


def obj(properties=None, required=None, **kw):
    o = dict(type="object")
    if properties:
        o["properties"] = properties
    if required:
        o["required"] = required
    o.update(kw)
    return o


def arr(items, **kw):
    return dict(type="array", items=items, **kw)


def string_map():
    return obj(additionalProperties=string())


def preserved(properties=None, required=None):
    o = obj(properties, required)
    o["x-kubernetes-preserve-unknown-fields"] = True
    return o


def enum(values, default=None):
    s = string(enum=values)
    if default is not None:
        s["default"] = default
    return s


SECRET_KEY_SELECTOR = obj({
    "key": string(maxLength=253, minLength=1, pattern=KEY_PATTERN),
    "name": string(maxLength=253, minLength=1, pattern=SUBDOMAIN),
    "namespace": string(maxLength=63, minLength=1, pattern=LABEL),
})
SERVICE_ACCOUNT_SELECTOR = obj({
    "audiences": arr(string()),
    "name": string(maxLength=253, minLength=1, pattern=SUBDOMAIN),
    "namespace": string(maxLength=63, minLength=1, pattern=LABEL),
}, ["name"])
CA_PROVIDER = obj({
    "key": string(maxLength=253, minLength=1, pattern=KEY_PATTERN),
    "name": string(maxLength=253, minLength=1, pattern=SUBDOMAIN),
    "namespace": string(maxLength=63, minLength=1, pattern=LABEL),
    "type": enum(["Secret", "ConfigMap"]),
}, ["name", "type"])

GENERATOR_KINDS = [
    "ACRAccessToken", "BeyondtrustWorkloadCredentialsDynamicSecret", "ClusterGenerator", "CloudsmithAccessToken",
    "ECRAuthorizationToken", "Fake", "GCRAccessToken", "GithubAccessToken", "GitlabDeployToken", "QuayAccessToken",
    "Password", "SSHKey", "STSSessionToken", "UUID", "VaultDynamicSecret", "Webhook", "Grafana", "MFA",
]

PROVIDERS = [
    "aws", "azurekv", "akeyless", "bitwardensecretsmanager", "vault", "ovh", "gcpsm", "oracle", "ibm",
    "yandexcertificatemanager", "yandexlockbox", "github", "gitlab", "onepassword", "onepasswordSDK", "webhook",
    "kubernetes", "crd", "fake", "senhasegura", "scaleway", "doppler", "previder", "onboardbase", "keepersecurity",
    "conjur", "delinea", "secretserver", "chef", "pulumi", "fortanix", "passworddepot", "passbolt", "dvls",
    "infisical", "beyondtrust", "beyondtrustworkloadcredentials", "cloudrusm", "volcengine", "ngrok", "barbican",
    "nebiusmysterybox", "openBao",
]


def store_ref():
    return obj({
        "kind": enum(["SecretStore", "ClusterSecretStore"]),
        "name": string(maxLength=253, minLength=1, pattern=SUBDOMAIN),
    })


def remote_ref(v1):
    def d(value):
        return {} if v1 else {"default": value}
    return obj({
        "conversionStrategy": dict(enum(["Default", "Unicode"]), **d("Default")),
        "decodingStrategy": dict(enum(["Auto", "Base64", "Base64URL", "None"]), **d("None")),
        "key": string(),
        "metadataPolicy": dict(enum(["None", "Fetch"]), **d("None")),
        "nullBytePolicy": enum(["Ignore", "Fail"]),
        "property": string(),
        "version": string(),
    }, ["key"])


def source_ref(with_generator=True):
    props = {"storeRef": store_ref()}
    if with_generator:
        props["generatorRef"] = obj({
            "apiVersion": string(default="generators.external-secrets.io/v1alpha1"),
            "kind": enum(GENERATOR_KINDS),
            "name": string(maxLength=253, minLength=1, pattern=SUBDOMAIN),
        }, ["kind", "name"])
    return obj(props, maxProperties=1, minProperties=1)


def template(v1):
    ref = obj({
        "items": arr(obj({
            "key": string(maxLength=253, minLength=1, pattern=KEY_PATTERN),
            "templateAs": enum(["Values", "KeysAndValues"], "Values"),
        }, ["key"])),
        "name": string(maxLength=253, minLength=1, pattern=SUBDOMAIN),
    }, ["items", "name"])
    template_from = {
        "configMap": ref,
        "literal": string(),
        "secret": copy.deepcopy(ref),
        "target": string(default="Data") if v1 else enum(["Data", "Annotations", "Labels"], "Data"),
    }
    if v1:
        template_from["valuesDecodingStrategy"] = enum(["Auto", "Base64", "Base64URL", "None"])
    metadata = {"annotations": string_map(), "labels": string_map()}
    if v1:
        metadata["finalizers"] = arr(string())
    return obj({
        "data": string_map(),
        "engineVersion": enum(["v2"], "v2"),
        "mergePolicy": enum(["Replace", "Merge"], "Replace"),
        "metadata": obj(metadata),
        "templateFrom": arr(obj(template_from)),
        "type": string(),
    })


def external_secret_spec(v1):
    creation = ["Owner", "Orphan", "Merge", "None"] + (["CreateOrMerge"] if v1 else [])
    target_props = {
        "creationPolicy": enum(creation, "Owner"),
        "deletionPolicy": enum(["Delete", "Merge", "Retain"], "Retain"),
        "immutable": dict(type="boolean"),
        "name": string(maxLength=253, minLength=1, pattern=SUBDOMAIN),
        "template": template(v1),
    }
    if v1:
        target_props["manifest"] = obj({"apiVersion": string(minLength=1), "kind": string(minLength=1)},
                                       ["apiVersion", "kind"])
    rewrite_props = {
        "regexp": obj({"source": string(), "target": string()}, ["source", "target"]),
        "transform": obj({"template": string()}, ["template"]),
    }
    if v1:
        rewrite_props["merge"] = obj({
            "conflictPolicy": enum(["Error", "Ignore"], "Error"),
            "into": string(default=""),
            "priority": arr(string()),
            "priorityPolicy": enum(["Strict", "IgnoreNotFound"], "Strict"),
            "strategy": enum(["Extract", "JSON"], "Extract"),
        })
    find_defaults = {} if v1 else {"conversion": {"default": "Default"}, "decoding": {"default": "None"}}
    props = {
        "data": arr(obj({
            "remoteRef": remote_ref(v1),
            "secretKey": string(maxLength=253, minLength=1, pattern=KEY_PATTERN),
            "sourceRef": source_ref(),
        }, ["remoteRef", "secretKey"])),
        "dataFrom": arr(obj({
            "extract": remote_ref(v1),
            "find": obj({
                "conversionStrategy": dict(enum(["Default", "Unicode"]), **find_defaults.get("conversion", {})),
                "decodingStrategy": dict(enum(["Auto", "Base64", "Base64URL", "None"]), **find_defaults.get("decoding", {})),
                "name": obj({"regexp": string()}),
                "nullBytePolicy": enum(["Ignore", "Fail"]),
                "path": string(),
                "tags": string_map(),
            }),
            "rewrite": arr(obj(rewrite_props, maxProperties=1, minProperties=1)),
            "sourceRef": source_ref(),
        })),
        "refreshInterval": string(default="1h0m0s"),
        "refreshPolicy": enum(["CreatedOnce", "Periodic", "OnChange"]),
        "secretStoreRef": store_ref(),
        "target": dict(obj(target_props), default={"creationPolicy": "Owner", "deletionPolicy": "Retain"}),
    }
    if v1:
        props["syncWindows"] = obj({
            "kind": enum(["allow", "deny"]),
            "windows": arr(obj({"duration": string(), "schedule": string(pattern=CRON)}, ["duration", "schedule"]),
                           minItems=1),
        }, ["kind", "windows"])
    return obj(props)


def conditions_schema(types):
    return arr(obj({
        "lastTransitionTime": string(format="date-time"),
        "message": string(),
        "reason": string(),
        "status": string(),
        "type": enum(types) if types else string(),
    }, ["status", "type"]))


EXTERNAL_SECRET_STATUS = obj({
    "binding": obj({"name": string(default="")}, **{"x-kubernetes-map-type": "atomic"}),
    "conditions": conditions_schema(["Ready", "Deleted"]),
    "refreshTime": dict(string(format="date-time"), nullable=True),
    "syncedResourceVersion": string(),
})


def provider_schema(v1):
    providers = {name: preserved() for name in PROVIDERS}
    providers["aws"] = preserved({
        "additionalRoles": arr(string()),
        "auth": preserved({
            "jwt": obj({"serviceAccountRef": SERVICE_ACCOUNT_SELECTOR}),
            "secretRef": obj({
                "accessKeyIDSecretRef": SECRET_KEY_SELECTOR,
                "secretAccessKeySecretRef": SECRET_KEY_SELECTOR,
                "sessionTokenSecretRef": SECRET_KEY_SELECTOR,
            }),
        }),
        "externalID": string(),
        "prefix": string(),
        "region": string(),
        "role": string(),
        "secretsManager": obj({"forceDeleteWithoutRecovery": dict(type="boolean"),
                               "recoveryWindowInDays": dict(type="integer", format="int64")}),
        "service": enum(["SecretsManager", "ParameterStore", "CertificateManager"]),
    }, ["region", "service"])
    vault = preserved({
        "auth": preserved(),
        "caBundle": string(format="byte"),
        "caProvider": CA_PROVIDER,
        "namespace": string(),
        "path": string(),
        "server": string(),
        "version": enum(["v1", "v2"], "v2"),
    }, ["server"])
    providers["vault"] = vault
    providers["openBao"] = copy.deepcopy(vault)
    providers["azurekv"] = preserved({
        "authType": enum(["ServicePrincipal", "ManagedIdentity", "WorkloadIdentity"], "ServicePrincipal"),
        "environmentType": enum(["PublicCloud", "USGovernmentCloud", "ChinaCloud", "GermanCloud", "AzureStackCloud"],
                                "PublicCloud"),
        "serviceAccountRef": SERVICE_ACCOUNT_SELECTOR,
        "tenantId": string(),
        "useAzureSDK": dict(type="boolean", default=False),
        "vaultUrl": string(),
    }, ["vaultUrl"])
    providers["kubernetes"] = preserved({
        "auth": dict(preserved(), maxProperties=1, minProperties=1),
        "authRef": SECRET_KEY_SELECTOR,
        "remoteNamespace": string(default="default"),
        "server": obj({
            "caBundle": string(format="byte"),
            "caProvider": CA_PROVIDER,
            "url": string(default="kubernetes.default"),
        }),
    })
    providers["fake"] = obj({
        "data": arr(obj({
            "key": string(),
            "value": string(),
            "valueMap": string_map(),
            "version": string(),
        }, ["key", "value"])),
        "validationResult": dict(type="integer"),
    }, ["data"])
    return dict(obj(providers), maxProperties=1, minProperties=1)


def store_spec(v1):
    refresh = {"x-kubernetes-int-or-string": True} if v1 else dict(type="integer")
    return obj({
        "conditions": arr(obj({
            "namespaceRegexes": arr(string()),
            "namespaceSelector": preserved(),
            "namespaces": arr(string(maxLength=63, minLength=1, pattern=LABEL)),
        })),
        "controller": string(),
        "provider": provider_schema(v1),
        "refreshInterval": refresh,
        "retrySettings": obj({"maxRetries": dict(type="integer", format="int32"), "retryInterval": string()}),
    }, ["provider"])


STORE_STATUS = obj({
    "capabilities": string(),
    "conditions": conditions_schema(None),
})

ES_COLUMNS = [
    {"jsonPath": ".spec.secretStoreRef.kind", "name": "StoreType", "type": "string"},
    {"jsonPath": ".spec.secretStoreRef.name", "name": "Store", "type": "string"},
    {"jsonPath": ".spec.refreshInterval", "name": "Refresh Interval", "type": "string"},
    {"jsonPath": ".status.conditions[?(@.type==\"Ready\")].reason", "name": "Status", "type": "string"},
    {"jsonPath": ".status.conditions[?(@.type==\"Ready\")].status", "name": "Ready", "type": "string"},
    {"jsonPath": ".status.refreshTime", "name": "Last Sync", "type": "date"},
]
STORE_COLUMNS = [
    {"jsonPath": ".metadata.creationTimestamp", "name": "AGE", "type": "date"},
    {"jsonPath": ".status.conditions[?(@.type==\"Ready\")].reason", "name": "Status", "type": "string"},
    {"jsonPath": ".status.capabilities", "name": "Capabilities", "type": "string"},
    {"jsonPath": ".status.conditions[?(@.type==\"Ready\")].status", "name": "Ready", "type": "string"},
]


def version(name, spec, status, columns, storage, extra=None):
    v = {
        "additionalPrinterColumns": columns,
        "name": name,
        "schema": {"openAPIV3Schema": obj({
            "apiVersion": string(),
            "kind": string(),
            "metadata": dict(type="object"),
            "spec": spec,
            "status": status,
        })},
        "served": True,
        "storage": storage,
        "subresources": {"status": {}},
    }
    if not storage:
        v["deprecated"] = True
    if extra:
        v.update(extra)
    return v


def crd(kind, plural, short, scope, versions):
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {
            "name": f"{plural}.{GROUP}",
            "labels": {"external-secrets.io/component": "controller"},
        },
        "spec": {
            "group": GROUP,
            "names": {
                "categories": ["external-secrets"],
                "kind": kind,
                "listKind": f"{kind}List",
                "plural": plural,
                "shortNames": [short],
                "singular": kind.lower(),
            },
            "scope": scope,
            "versions": versions,
        },
    }


def main():
    es_selectable = {"selectableFields": [
        {"jsonPath": ".spec.secretStoreRef.name"}, {"jsonPath": ".spec.secretStoreRef.kind"},
        {"jsonPath": ".spec.target.name"}, {"jsonPath": ".spec.refreshInterval"},
    ]}
    documents = {
        "external-secrets.io_externalsecrets.yaml": crd("ExternalSecret", "externalsecrets", "es", "Namespaced", [
            version("v1", external_secret_spec(True), EXTERNAL_SECRET_STATUS, ES_COLUMNS, True, es_selectable),
            version("v1beta1", external_secret_spec(False), EXTERNAL_SECRET_STATUS, ES_COLUMNS, False),
        ]),
        "external-secrets.io_secretstores.yaml": crd("SecretStore", "secretstores", "ss", "Namespaced", [
            version("v1", store_spec(True), STORE_STATUS, STORE_COLUMNS, True),
            version("v1beta1", store_spec(False), STORE_STATUS, STORE_COLUMNS, False),
        ]),
        "external-secrets.io_clustersecretstores.yaml": crd("ClusterSecretStore", "clustersecretstores", "css", "Cluster", [
            version("v1", store_spec(True), STORE_STATUS, STORE_COLUMNS, True),
            version("v1beta1", store_spec(False), STORE_STATUS, STORE_COLUMNS, False),
        ]),
    }
    for name, document in documents.items():
        with open(os.path.join(HERE, name), "w") as f:
            f.write("# Generated by deploy/crds/generate.py; do not edit by hand.\n---\n")
            yaml.safe_dump(document, f, sort_keys=False, default_flow_style=False, width=120)


if __name__ == "__main__":
    main()
