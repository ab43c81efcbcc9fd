import ESJSON

/// The one provider block of a store: its key (`aws`, `vault`, ...), its JSON as written, and a
/// typed view for the providers whose fields validation or defaulting reads.
public struct ProviderSpec: Sendable {
    public var name: String
    public var json: JSON
    public var config: ProviderConfig
    /// Field path of the block (`spec.provider.aws`).
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    /// Every provider key of `external-secrets.io/v1` with its Go struct name.
    public static let goStructs: [String: String] = [
        "aws": "AWSProvider", "azurekv": "AzureKVProvider", "akeyless": "AkeylessProvider",
        "bitwardensecretsmanager": "BitwardenSecretsManagerProvider", "vault": "VaultProvider", "ovh": "OvhProvider",
        "gcpsm": "GCPSMProvider", "oracle": "OracleProvider", "ibm": "IBMProvider",
        "yandexcertificatemanager": "YandexCertificateManagerProvider", "yandexlockbox": "YandexLockboxProvider",
        "github": "GithubProvider", "gitlab": "GitlabProvider", "onepassword": "OnePasswordProvider",
        "onepasswordSDK": "OnePasswordSDKProvider", "webhook": "WebhookProvider", "kubernetes": "KubernetesProvider",
        "crd": "CRDProvider", "fake": "FakeProvider", "senhasegura": "SenhaseguraProvider",
        "scaleway": "ScalewayProvider", "doppler": "DopplerProvider", "previder": "PreviderProvider",
        "onboardbase": "OnboardbaseProvider", "keepersecurity": "KeeperSecurityProvider", "conjur": "ConjurProvider",
        "delinea": "DelineaProvider", "secretserver": "SecretServerProvider", "chef": "ChefProvider",
        "pulumi": "PulumiProvider", "fortanix": "FortanixProvider", "passworddepot": "PasswordDepotProvider",
        "passbolt": "PassboltProvider", "dvls": "DVLSProvider", "infisical": "InfisicalProvider",
        "beyondtrust": "BeyondtrustProvider", "beyondtrustworkloadcredentials": "BeyondtrustWorkloadCredentialsProvider",
        "cloudrusm": "CloudruSMProvider", "volcengine": "VolcengineProvider", "ngrok": "NgrokProvider",
        "barbican": "BarbicanProvider", "nebiusmysterybox": "NebiusMysteryboxProvider", "openBao": "VaultProvider",
    ]

    /// Provider keys in upstream's declaration order.
    public static let names: [String] = [
        "aws", "azurekv", "akeyless", "bitwardensecretsmanager", "vault", "ovh", "gcpsm", "oracle", "ibm",
        "yandexcertificatemanager", "yandexlockbox", "github", "gitlab", "onepassword", "onepasswordSDK", "webhook",
        "kubernetes", "crd", "fake", "senhasegura", "scaleway", "doppler", "previder", "onboardbase", "keepersecurity",
        "conjur", "delinea", "secretserver", "chef", "pulumi", "fortanix", "passworddepot", "passbolt", "dvls",
        "infisical", "beyondtrust", "beyondtrustworkloadcredentials", "cloudrusm", "volcengine", "ngrok", "barbican",
        "nebiusmysterybox", "openBao",
    ]

    init(name: String, goStruct: String, parent: FieldDecoder) throws(APIDecodingError) {
        self.name = name
        self.json = parent.raw(name) ?? .null
        self.fieldPath = parent.fieldPath.child(name)
        guard let d = try parent.nested(name, goStruct: goStruct) else {
            config = .other
            return
        }
        switch name {
        case "aws": config = .aws(try AWSProvider(from: d))
        case "vault", "openBao": config = .vault(try VaultProvider(from: d))
        case "azurekv": config = .azurekv(try AzureKVProvider(from: d))
        case "gcpsm": config = .gcpsm(try GCPSMProvider(from: d))
        case "kubernetes": config = .kubernetes(try KubernetesProvider(from: d))
        case "fake": config = .fake(try FakeProvider(from: d))
        default: config = .other
        }
    }
}

/// Typed provider configurations; every other provider stays JSON (`.other`).
public enum ProviderConfig: Sendable {
    case aws(AWSProvider)
    case vault(VaultProvider)
    case azurekv(AzureKVProvider)
    case gcpsm(GCPSMProvider)
    case kubernetes(KubernetesProvider)
    case fake(FakeProvider)
    case other
}
