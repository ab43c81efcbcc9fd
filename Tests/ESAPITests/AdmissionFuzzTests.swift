import ESAPI
import ESAdmission
import ESJSON
import ESValidation
import ESYAML
import Testing

/// Deterministic pseudo-random mutations (SplitMix64) so failures reproduce.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

/// Byte-level mutations: flip, insert, delete, duplicate a slice, splice interesting tokens.
func mutateBytes(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var bytes = input
    let tokens: [[UInt8]] = ["null", "[]", "{}", "\"", "-1", "1e999", "\"\\u0000\"", "true", ":", ",", "{{", "\n- ", "&a ", "*a", "!!binary "]
        .map { Array($0.utf8) }
    for _ in 0..<(1 + rng.below(4)) {
        guard !bytes.isEmpty else { bytes = tokens[rng.below(tokens.count)]; continue }
        let i = rng.below(bytes.count)
        switch rng.below(5) {
        case 0: bytes[i] ^= UInt8(1 << rng.below(8))
        case 1: bytes.insert(contentsOf: tokens[rng.below(tokens.count)], at: i)
        case 2: bytes.removeSubrange(i..<min(bytes.count, i + 1 + rng.below(16)))
        case 3:
            let end = min(bytes.count, i + rng.below(64))
            bytes.insert(contentsOf: bytes[i..<end], at: rng.below(bytes.count))
        default: bytes[i] = UInt8(rng.below(256))
        }
    }
    return bytes
}

/// Structure-aware mutations: replace a random value in the object with another JSON kind.
func mutateValue(_ value: JSON, _ rng: inout SplitMix64, depth: Int = 0) -> JSON {
    let replacements: [JSON] = [.null, 0, -5, 1.5, "", "x", true, [], [:], ["a": 1], [.null], "1h", "-1s", "abc"]
    if rng.below(4) == 0 || depth > 12 { return replacements[rng.below(replacements.count)] }
    switch value {
    case .object(var o) where !o.isEmpty:
        let key = o.keys[rng.below(o.count)]
        o[key] = mutateValue(o[key] ?? .null, &rng, depth: depth + 1)
        return .object(o)
    case .array(var a) where !a.isEmpty:
        let i = rng.below(a.count)
        a[i] = mutateValue(a[i], &rng, depth: depth + 1)
        return .array(a)
    default:
        return replacements[rng.below(replacements.count)]
    }
}

@Suite struct AdmissionFuzzTests {
    let handler = AdmissionHandler()
    static let seeds: [RuleCase] = externalSecretCases + storeCases

    @Test func mutatedReviewsNeverCrashAndAlwaysAnswer() async throws {
        var rng = SplitMix64(state: 0x5EED)
        for iteration in 0..<3000 {
            let seed = Self.seeds[rng.below(Self.seeds.count)]
            let path = routePath(for: seed.kind, webhook: rng.below(2) == 0 ? "validate" : "mutate",
                                 version: rng.below(4) == 0 ? "v1beta1" : "v1")
            let body: [UInt8]
            if iteration % 2 == 0 {
                body = admissionReview(mutateValue(seed.json, &rng))
            } else {
                body = mutateBytes(admissionReview(seed.json), &rng)
            }
            let (status, review) = try await post(handler, path, body)
            #expect(status == 200 || status == 400)
            if status == 200 {
                // Every answer is a well-formed review whose verdict is explicit.
                #expect(review["response"]?["allowed"]?.boolValue != nil)
                let code = review["response"]?["status"]?["code"]?.intValue
                #expect(code == 200 || code == 400 || code == 403)
            }
        }
    }

    @Test func mutatedManifestsNeverCrashTheDecoders() throws {
        var rng = SplitMix64(state: 0xFEED)
        for _ in 0..<3000 {
            let seed = Self.seeds[rng.below(Self.seeds.count)]
            let text = String(decoding: mutateBytes(Array(seed.yaml.utf8), &rng), as: UTF8.self)
            guard let documents = try? Manifest.documents(text) else { continue }
            for document in documents where document.isExternalSecretsObject {
                if case .externalSecret(let es)? = try? document.decode() {
                    _ = Validator.validate(externalSecret: es)
                    _ = Defaulter.patch(externalSecret: es)
                }
                if case .secretStore(let store)? = try? document.decode() {
                    _ = Validator.validate(store: store)
                    _ = Defaulter.patch(store: store)
                }
            }
        }
    }

    @Test func mutatedObjectsDefaultIdempotently() throws {
        var rng = SplitMix64(state: 0xD0D0)
        for _ in 0..<1000 {
            let seed = externalSecretCases[rng.below(externalSecretCases.count)]
            let json = mutateValue(seed.json, &rng)
            guard let es = try? ExternalSecret(json: json) else { continue }
            let patch = Defaulter.patch(externalSecret: es)
            guard !patch.isEmpty else { continue }
            let patched = try JSONPatch.apply(.array(patch), to: json)
            let again = try ExternalSecret(json: patched)
            #expect(Defaulter.patch(externalSecret: again).isEmpty)
        }
    }
}
