/// Upstream's key helpers (`esutils.ConvertKeys` / `ValidateKeys`): what a key in a Secret's `.data`
/// may contain and how provider names are turned into such keys.
public enum SecretKeys {
    /// Unicode letter or number (Go `unicode.IsLetter` / `unicode.IsNumber`), `-`, `.` or `_`.
    public static func isValidKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "-" || scalar == "." || scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// One key converted: every invalid scalar becomes `_` (Default) or `_U%04x_` (Unicode).
    public static func convert(_ key: String, strategy: ConversionStrategy) -> String {
        var out = ""
        out.reserveCapacity(key.utf8.count)
        for scalar in key.unicodeScalars {
            if isValidKeyScalar(scalar) {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch strategy {
            case .default:
                out += "_"
            case .unicode:
                let hex = String(scalar.value, radix: 16)
                out += "_U" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "_"
            case .other:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `ConvertKeys`: converts every key; two keys converting to the same name is an error.
    /// Keys are visited in sorted order so the error names the same key on every run.
    public static func convertKeys(_ map: [String: [UInt8]], strategy: ConversionStrategy) throws(KeyError) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        out.reserveCapacity(map.count)
        for key in map.keys.sorted() {
            let converted = convert(key, strategy: strategy)
            if out[converted] != nil {
                throw KeyError(message: "secret name collision during conversion: \(converted)")
            }
            out[converted] = map[key]
        }
        return out
    }

    /// `ValidateKeys`: drops empty keys, rejects keys longer than 253 bytes or with invalid scalars.
    public static func validateKeys(_ map: inout [String: [UInt8]]) throws(KeyError) {
        map.removeValue(forKey: "")
        for key in map.keys.sorted() {
            let length = key.utf8.count
            if length > 253 {
                let truncated = String(decoding: key.utf8.prefix(253), as: UTF8.self)
                throw KeyError(message: "key has length \(length) but max is 253: (following is truncated): \(truncated)")
            }
            for scalar in key.unicodeScalars where !isValidKeyScalar(scalar) {
                throw KeyError(message:
                    "key has invalid character \(String(scalar)), only alphanumeric, '-', '.' and '_' are allowed: \(key)")
            }
        }
    }
}

public struct KeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
