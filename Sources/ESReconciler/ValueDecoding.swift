import ESProviders

/// `decodingStrategy` (upstream `esutils.Decode` / `DecodeMap`) and the null-byte policy.
public enum ValueDecoding {
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    public static func decode(_ value: [UInt8], strategy: DecodingStrategy) throws(DecodingError) -> [UInt8] {
        switch strategy {
        case .none:
            return value
        case .base64:
            do { return try GoBase64.decode(value, alphabet: .standard) } catch { throw DecodingError(message: error.description) }
        case .base64URL:
            do { return try GoBase64.decode(value, alphabet: .url) } catch { throw DecodingError(message: error.description) }
        case .auto:
            if let decoded = try? GoBase64.decode(value, alphabet: .standard) { return decoded }
            if let decoded = try? GoBase64.decode(value, alphabet: .url) { return decoded }
            return value
        case .other(let name):
            throw DecodingError(message: "decoding strategy \(name) is not supported")
        }
    }

    /// `DecodeMap`: `failure decoding key <k>: <err>` (keys visited in sorted order).
    public static func decodeMap(_ map: [String: [UInt8]], strategy: DecodingStrategy) throws(DecodingError) -> [String: [UInt8]] {
        if case .none = strategy { return map }
        var out: [String: [UInt8]] = [:]
        out.reserveCapacity(map.count)
        for key in map.keys.sorted() {
            do {
                out[key] = try decode(map[key] ?? [], strategy: strategy)
            } catch {
                throw DecodingError(message: "failure decoding key \(key): \(error.message)")
            }
        }
        return out
    }

    /// `nullBytePolicy: Fail`: the first key (sorted) whose value holds a `0x00` byte is reported.
    public static func checkNullBytes(_ map: [String: [UInt8]], policy: NullBytePolicy) throws(DecodingError) {
        guard policy == .fail else { return }
        for key in map.keys.sorted() where map[key]?.contains(0) == true {
            throw nullByteError(key: key)
        }
    }

    public static func checkNullBytes(key: String, value: [UInt8], policy: NullBytePolicy) throws(DecodingError) {
        guard policy == .fail, value.contains(0) else { return }
        throw nullByteError(key: key)
    }

    static func nullByteError(key: String) -> DecodingError {
        DecodingError(message: "fetched secret value for key \"\(key)\" contains null bytes; use a text-safe format such as PEM/base64 or leave nullBytePolicy unset for intentional binary data")
    }
}
