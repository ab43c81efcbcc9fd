// swift-tools-version:6.2
import PackageDescription

// Upcoming features enabled the way Hummingbird does it.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let log: Target.Dependency = .product(name: "Logging", package: "swift-log")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let coreMetrics: Target.Dependency = .product(name: "CoreMetrics", package: "swift-metrics")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "external-secrets-swift",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "external-secrets", targets: ["external-secrets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // C interop shims: system libraries plus static inline wrappers for macros and variadics.
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML",
                       providers: [.apt(["libyaml-dev"])]),
        // libcurl is dlopen'ed on first use (Sources/CCurl/shim.c); its headers come from libcurl4-openssl-dev.
        .target(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),

        // Values and formats.
        .target(name: "ESJSON", swiftSettings: swiftSettings),
        .target(name: "ESYAML", dependencies: ["CYAML", "ESJSON"], swiftSettings: swiftSettings),
        .target(name: "ESRegex", swiftSettings: swiftSettings),

        // Observability.
        .target(name: "ESLogging", dependencies: [log, "ESJSON"], swiftSettings: swiftSettings),
        .target(name: "ESMetrics", dependencies: [metrics, coreMetrics, prometheus], swiftSettings: swiftSettings),

        // Serving: HTTP/1.1 codec, TLS, certificates, the epoll server.
        .target(name: "ESHTTP", swiftSettings: swiftSettings),
        .target(name: "ESCertificates", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),
        .target(name: "ESTLS", dependencies: ["COpenSSL", "ESCertificates", log], swiftSettings: swiftSettings),
        .target(name: "ESServer", dependencies: ["CEpoll", "ESHTTP", "ESTLS", "ESLogging", "ESMetrics", log, metrics],
                swiftSettings: swiftSettings),

        // The external-secrets.io API, its validation and the admission webhooks.
        .target(name: "ESAPI", dependencies: ["ESJSON", "ESYAML"], swiftSettings: swiftSettings),
        .target(name: "ESValidation", dependencies: ["ESAPI", "ESJSON", "ESRegex"], swiftSettings: swiftSettings),
        .target(name: "ESAdmission", dependencies: ["ESAPI", "ESValidation", "ESJSON", "ESHTTP", log],
                swiftSettings: swiftSettings),

        // Kubernetes: outbound HTTP over libcurl, the API client, and the in-memory test API server.
        .target(name: "ESHTTPClient", dependencies: ["CCurl", "ESJSON", log], swiftSettings: swiftSettings),
        .target(name: "ESKube", dependencies: ["ESHTTPClient", "ESJSON", "ESYAML", log, metrics],
                swiftSettings: swiftSettings),
        .target(name: "ESTestAPIServer", dependencies: ["ESServer", "ESHTTP", "ESHTTPClient", "ESJSON", "ESYAML", "ESCertificates", log],
                swiftSettings: swiftSettings),
        .target(name: "ESCertController", dependencies: ["ESCertificates", "ESKube", "ESJSON", log, metrics],
                swiftSettings: swiftSettings),

        // Secret templates (Go text/template + ESO's function set).
        .target(name: "ESTemplate", dependencies: ["ESJSON", "ESYAML", "ESRegex", "COpenSSL"],
                swiftSettings: swiftSettings),

        // Providers and the reconciler.
        .target(name: "ESProviders", dependencies: ["ESAPI", "ESKube", "ESJSON", "ESRegex", log],
                swiftSettings: swiftSettings),
        .target(name: "ESProviderAWS", dependencies: ["ESProviders", "ESHTTP", "ESHTTPClient", "ESJSON", "COpenSSL", log, metrics],
                swiftSettings: swiftSettings),
        .target(name: "ESReconciler",
                dependencies: ["ESProviders", "ESProviderAWS", "ESTemplate", "ESKube", "ESAPI", "ESValidation", "ESHTTP", "ESJSON", "ESYAML", "COpenSSL", log, metrics],
                swiftSettings: swiftSettings),

        // The command line: every subcommand lives in ESCommands so tests can run it in-process.
        .target(name: "ESCommands",
                dependencies: [argumentParser, log, "ESServer", "ESAdmission", "ESAPI", "ESCertificates", "ESCertController",
                               "ESReconciler", "ESTemplate", "ESKube", "ESYAML", "ESJSON", "ESLogging", "ESMetrics",
                               "ESTestAPIServer"],
                swiftSettings: swiftSettings),
        .executableTarget(name: "external-secrets", dependencies: ["ESCommands", "ESServer", argumentParser], swiftSettings: swiftSettings),

        // Tests mirror the modules.
        .testTarget(name: "ESJSONTests", dependencies: ["ESJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "ESYAMLTests", dependencies: ["ESYAML", "ESJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "ESRegexTests", dependencies: ["ESRegex"], swiftSettings: swiftSettings),
        .testTarget(name: "ESHTTPTests", dependencies: ["ESHTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "ESCertificatesTests", dependencies: ["ESCertificates"], swiftSettings: swiftSettings),
        .testTarget(name: "ESServerTests", dependencies: ["ESServer", "ESTLS", "ESCertificates", "ESHTTP", "ESCommands"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ESAPITests", dependencies: ["ESAPI", "ESValidation", "ESAdmission", "ESJSON", "ESYAML",
                                                       "ESCommands", "ESServer", "ESCertificates"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ESHTTPClientTests", dependencies: ["ESHTTPClient", "ESServer", "ESHTTP", log], swiftSettings: swiftSettings),
        .testTarget(name: "ESKubeTests", dependencies: ["ESKube", "ESHTTPClient", "ESTestAPIServer", "ESJSON",
                                                        "ESCertificates", "ESServer", "ESHTTP", "ESTLS"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ESCertControllerTests", dependencies: ["ESCertController", "ESTestAPIServer", "ESKube",
                                                                  "ESCertificates", "ESServer", "ESTLS"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ESTemplateTests", dependencies: ["ESTemplate", "ESJSON", "ESCommands"],
                    resources: [.copy("Golden")], swiftSettings: swiftSettings),
        .testTarget(name: "ESProviderAWSTests", dependencies: ["ESProviderAWS", "ESProviders", "ESKube",
                                                               "ESTestAPIServer", "ESJSON", "ESReconciler",
                                                               "ESHTTPClient", "ESAPI"],
                    resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "ESReconcilerTests", dependencies: ["ESReconciler", "ESProviders", "ESTestAPIServer",
                                                              "ESKube", "ESAPI", "ESJSON"],
                    swiftSettings: swiftSettings),
    ]
)
