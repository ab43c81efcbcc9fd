import ESJSON
import ESProviders

/// Upstream `GetProviderSecretData` (§4.4): every `dataFrom` entry in order, then every `data`
/// entry, merged into one map (later writes win).
public struct ProviderDataFetcher: Sendable {
    /// Builds (or reuses) the client of the store an entry reads from.
    public typealias ClientResolver = @Sendable (ExternalSecretView.StoreRef?) async throws -> any SecretsClient
    /// Receives the `MissingProviderSecret` Normal events.
    public typealias EventSink = @Sendable (_ reason: String, _ message: String) async -> Void

    public struct FetchError: Error, Sendable, CustomStringConvertible {
        /// The full error text (goes into the Warning event, never into logs with values).
        public var message: String
        public var description: String { message }
    }

    public var renderer: KeyTemplateRenderer?

    public init(renderer: KeyTemplateRenderer? = nil) { self.renderer = renderer }

    public func fetch(_ es: ExternalSecretView, clients: ClientResolver, events: EventSink) async throws(FetchError) -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        let skipMissing = es.deletionPolicy != .retain
        for (i, entry) in es.dataFrom.enumerated() {
            let storeRef = ExternalSecretView.StoreRef(json: entry[path: ["sourceRef", "storeRef"]]) ?? es.storeRef
            do {
                let map: [String: [UInt8]]
                if let find = entry["find"], !find.isNull {
                    map = try await processFind(FindRef(json: find), rewrite: entry["rewrite"]?.arrayValue ?? [],
                                                client: clients(storeRef))
                } else if let extract = entry["extract"], !extract.isNull {
                    map = try await processExtract(RemoteRef(json: extract), rewrite: entry["rewrite"]?.arrayValue ?? [],
                                                   client: clients(storeRef))
                } else if entry[path: ["sourceRef", "generatorRef"]] != nil {
                    throw FetchError(message: "error processing spec.dataFrom[\(i)].sourceRef.generatorRef, err: generators are not supported yet")
                } else {
                    continue
                }
                for (k, v) in map { result[k] = v }
            } catch {
                if error.isProviderNotFound, skipMissing {
                    await events("MissingProviderSecret", "secret does not exist at provider using spec.dataFrom[\(i)]")
                    continue
                }
                if let fetchError = error as? FetchError { throw fetchError }
                let kind = entry["find"].map { $0.isNull ? "extract" : "find" } ?? "extract"
                throw FetchError(message: "error processing spec.dataFrom[\(i)].\(kind), err: \(Self.text(error, find: kind == "find"))")
            }
        }
        for (i, entry) in es.data.enumerated() {
            let storeRef = ExternalSecretView.StoreRef(json: entry[path: ["sourceRef", "storeRef"]]) ?? es.storeRef
            let ref = RemoteRef(json: entry["remoteRef"] ?? .null)
            let secretKey = entry["secretKey"]?.stringValue ?? ""
            do {
                let client = try await clients(storeRef)
                var value = try await client.getSecret(ref)
                do {
                    value = try ValueDecoding.decode(value, strategy: ref.decodingStrategy)
                } catch {
                    throw ValueDecoding.DecodingError(message:
                        "error applying decoding strategy \(ref.decodingStrategy.rawValue) to data: \(error.message)")
                }
                try ValueDecoding.checkNullBytes(key: secretKey, value: value, policy: ref.nullBytePolicy)
                result[secretKey] = value
            } catch {
                if error.isProviderNotFound, skipMissing {
                    await events("MissingProviderSecret",
                                 "secret does not exist at provider using spec.dataFrom[\(i)] (key=\(ref.key))")
                    continue
                }
                throw FetchError(message: "error processing spec.data[\(i)] (key: \(ref.key)), err: \(Self.text(error, find: false))")
            }
        }
        return result
    }

    func processFind(_ find: FindRef, rewrite: [JSON], client: any SecretsClient) async throws -> [String: [UInt8]] {
        var map = try await client.getAllSecrets(find)
        return try postProcess(&map, rewrite: rewrite, conversion: find.conversionStrategy,
                               decoding: find.decodingStrategy, nullBytes: find.nullBytePolicy)
    }

    func processExtract(_ ref: RemoteRef, rewrite: [JSON], client: any SecretsClient) async throws -> [String: [UInt8]] {
        var map = try await client.getSecretMap(ref)
        return try postProcess(&map, rewrite: rewrite, conversion: ref.conversionStrategy,
                               decoding: ref.decodingStrategy, nullBytes: ref.nullBytePolicy)
    }

    func postProcess(_ map: inout [String: [UInt8]], rewrite: [JSON], conversion: ConversionStrategy,
                     decoding: DecodingStrategy, nullBytes: NullBytePolicy) throws -> [String: [UInt8]] {
        if rewrite.isEmpty {
            map = try SecretKeys.convertKeys(map, strategy: conversion)
        } else {
            map = try Rewrite.apply(rewrite, to: map, renderer: renderer)
        }
        do {
            try SecretKeys.validateKeys(&map)
        } catch {
            throw KeyError(message: "invalid secret keys (TIP: use rewrite or conversionStrategy to change keys): \(error.message)")
        }
        map = try ValueDecoding.decodeMap(map, strategy: decoding)
        try ValueDecoding.checkNullBytes(map, policy: nullBytes)
        return map
    }

    static func text(_ error: any Error, find: Bool) -> String {
        if find, error is ProviderError { return "error getting all secrets: \(error)" }
        return "\(error)"
    }
}
