import ESJSON

/// A compact binary form of a JSON value for the informer caches: the exact value (key order, number
/// text, every string) comes back from `decode`, in about a quarter of the bytes of its JSON text.
///
/// Where the bytes go in a cached Kubernetes object is mostly field names and a few values repeated
/// in every object (API versions, kinds, condition types, well-known labels), plus uids, timestamps
/// and hex hashes written as text. So: strings of a fixed dictionary are one byte; a canonical
/// lowercase UUID is 16 bytes, an RFC 3339 `Z` timestamp 6, a lowercase hex string half its length;
/// everything else is stored as is, with LEB128 lengths.
public enum CompactJSON {
    enum Tag: UInt8 {
        case null = 0, `false`, `true`, number, string, array, object, timestamp, hex, uuid, counterHex
    }

    /// Strings that appear in most ExternalSecrets, Secrets and stores (field names, then values).
    /// In-process only (never persisted), so the list may change freely.
    static let dictionary: [String] = [
        "apiVersion", "kind", "metadata", "name", "namespace", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "labels", "annotations", "finalizers", "ownerReferences",
        "controller", "blockOwnerDeletion", "spec", "status", "data", "type", "immutable", "secretStoreRef",
        "refreshInterval", "refreshPolicy", "target", "creationPolicy", "deletionPolicy", "template", "dataFrom",
        "secretKey", "remoteRef", "key", "property", "version", "conversionStrategy", "decodingStrategy",
        "metadataPolicy", "extract", "find", "rewrite", "sourceRef", "storeRef", "binding", "conditions",
        "lastTransitionTime", "reason", "message", "refreshTime", "syncedResourceVersion", "provider", "value",
        "capabilities", "stringData", "engineVersion", "mergePolicy", "templateFrom", "observedGeneration",
        "external-secrets.io/v1", "external-secrets.io/v1beta1", "ExternalSecret", "SecretStore",
        "ClusterSecretStore", "v1", "Secret", "Opaque", "True", "False", "Unknown", "Ready", "SecretSynced",
        "secret synced", "SecretSyncedError", "Owner", "Merge", "Orphan", "None", "Retain", "Delete",
        "Default", "Unicode", "Periodic", "OnChange", "CreatedOnce", "1h", "true", "false", "Valid",
        "store validated", "ReadWrite", "ReadOnly", "WriteOnly", "Replace", "v2",
        "externalsecrets.external-secrets.io/externalsecret-cleanup",
        "reconcile.external-secrets.io/managed", "reconcile.external-secrets.io/created-by",
        "reconcile.external-secrets.io/data-hash", "kubernetes.io/tls", "kubernetes.io/dockerconfigjson",
        "fake", "kubernetes", "aws", "region", "auth", "service", "SecretsManager", "ParameterStore",
        "remoteNamespace", "server", "caProvider", "tls.crt", "tls.key", "ca.crt",
    ]

    static let dictionaryIndex: [String: UInt8] = {
        var index: [String: UInt8] = [:]
        for (i, s) in dictionary.enumerated() where i < 128 && index[s] == nil { index[s] = UInt8(i) }
        return index
    }()

    static let dictionaryBase: UInt8 = 0x80

    // MARK: - Encoding

    public static func encode(_ value: JSON) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, to: &out)
        return ObjectCache.exactlySized(out)
    }

    static func write(_ value: JSON, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(Tag.null.rawValue)
        case .bool(let b): out.append(b ? Tag.true.rawValue : Tag.false.rawValue)
        case .number(let n):
            out.append(Tag.number.rawValue)
            writeBytes(n.text.utf8, to: &out)
        case .string(let s): writeString(s, to: &out)
        case .array(let items):
            out.append(Tag.array.rawValue)
            writeLength(items.count, to: &out)
            for item in items { write(item, to: &out) }
        case .object(let object):
            out.append(Tag.object.rawValue)
            writeLength(object.count, to: &out)
            for (key, member) in object {
                writeString(key, to: &out)
                write(member, to: &out)
            }
        }
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        if let id = dictionaryIndex[s] {
            out.append(dictionaryBase + id)
            return
        }
        var text = s
        let written: Bool = text.withUTF8 { utf8 in
            if let uuid = uuidBytes(utf8) {
                out.append(Tag.uuid.rawValue)
                out.append(contentsOf: uuid)
                return true
            }
            if let stamp = timestampNumber(utf8) {
                out.append(Tag.timestamp.rawValue)
                writeVarint(stamp, to: &out)
                return true
            }
            if utf8.count >= 16, utf8.count % 2 == 0, let bytes = hexBytes(utf8[...]) {
                out.append(Tag.hex.rawValue)
                writeLength(bytes.count, to: &out)
                out.append(contentsOf: bytes)
                return true
            }
            if let (counter, bytes) = counterHex(utf8) {
                out.append(Tag.counterHex.rawValue)
                writeVarint(counter, to: &out)
                writeLength(bytes.count, to: &out)
                out.append(contentsOf: bytes)
                return true
            }
            return false
        }
        if written { return }
        out.append(Tag.string.rawValue)
        writeBytes(s.utf8, to: &out)
    }

    static func writeBytes(_ bytes: String.UTF8View, to out: inout [UInt8]) {
        writeLength(bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }

    static func writeLength(_ n: Int, to out: inout [UInt8]) { writeVarint(UInt64(n), to: &out) }

    static func writeVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// Lowercase hex of even length as bytes.
    static func hexBytes(_ utf8: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8]? {
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var i = utf8.startIndex
        while i < utf8.endIndex {
            guard let hi = hexValue(utf8[i]), let lo = hexValue(utf8[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        return bytes
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in lowercase hex.
    static func uuidBytes(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard utf8.count == 36 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var i = 0
        while i < 36 {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard utf8[i] == UInt8(ascii: "-") else { return nil }
                i += 1
                continue
            }
            guard let hi = hexValue(utf8[i]), let lo = hexValue(utf8[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        return bytes
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` as the number YYYYMMDDHHMMSS (any digits: the text comes back exactly).
    static func timestampNumber(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard utf8.count == 20, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"), utf8[10] == UInt8(ascii: "T"),
              utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"), utf8[19] == UInt8(ascii: "Z") else { return nil }
        var n: UInt64 = 0
        for i in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] {
            let c = utf8[i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + UInt64(c - UInt8(ascii: "0"))
        }
        return n
    }

    /// `<decimal>-<lowercase hex>` (ESO's syncedResourceVersion, `generation-hash`), decimal without
    /// leading zeros.
    static func counterHex(_ utf8: UnsafeBufferPointer<UInt8>) -> (UInt64, [UInt8])? {
        guard let dash = utf8.firstIndex(of: UInt8(ascii: "-")), dash > 0, dash <= 18 else { return nil }
        if utf8[0] == UInt8(ascii: "0"), dash > 1 { return nil }
        var n: UInt64 = 0
        for i in 0..<dash {
            let c = utf8[i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + UInt64(c - UInt8(ascii: "0"))
        }
        let hex = utf8[(dash + 1)...]
        guard hex.count >= 16, let bytes = hexBytes(hex) else { return nil }
        return (n, bytes)
    }

    // MARK: - Decoding

    /// The value `encode` was given; nil for bytes `encode` did not produce.
    public static func decode(_ bytes: [UInt8]) -> JSON? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            guard let value = reader.value(depth: 0), reader.offset == buffer.count else { return nil }
            return value
        }
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while let b = byte() {
                guard shift < 64 else { return nil }
                result |= UInt64(b & 0x7f) << shift
                if b < 0x80 { return result }
                shift += 7
            }
            return nil
        }

        mutating func length() -> Int? {
            guard let n = varint(), n <= UInt64(bytes.count - offset) else { return nil }
            return Int(n)
        }

        mutating func raw(_ count: Int) -> UnsafeBufferPointer<UInt8>? {
            guard count >= 0, count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return UnsafeBufferPointer(rebasing: bytes[offset..<offset + count])
        }

        mutating func text() -> String? {
            guard let n = length(), let raw = raw(n) else { return nil }
            return String(decoding: raw, as: UTF8.self)
        }

        mutating func value(depth: Int) -> JSON? {
            guard depth < 512, let tag = byte() else { return nil }
            if tag >= CompactJSON.dictionaryBase {
                let id = Int(tag - CompactJSON.dictionaryBase)
                guard id < CompactJSON.dictionary.count else { return nil }
                return .string(CompactJSON.dictionary[id])
            }
            switch Tag(rawValue: tag) {
            case .null: return .null
            case .false: return .bool(false)
            case .true: return .bool(true)
            case .number: return text().map { .number(JSONNumber(text: $0)) }
            case .array:
                guard let n = length() else { return nil }
                var items: [JSON] = []
                items.reserveCapacity(n)
                for _ in 0..<n {
                    guard let item = value(depth: depth + 1) else { return nil }
                    items.append(item)
                }
                return .array(items)
            case .object:
                guard let n = length() else { return nil }
                var object = JSONObject(minimumCapacity: n)
                for _ in 0..<n {
                    guard case .string(let key)? = value(depth: depth + 1), let member = value(depth: depth + 1) else {
                        return nil
                    }
                    object[key] = member
                }
                return .object(object)
            case .string, .timestamp, .hex, .uuid, .counterHex:
                offset -= 1
                return stringValue().map { .string($0) }
            case nil:
                return nil
            }
        }

        mutating func stringValue() -> String? {
            guard let tag = byte() else { return nil }
            switch Tag(rawValue: tag) {
            case .string:
                return text()
            case .uuid:
                guard let raw = raw(16) else { return nil }
                var s = ""
                s.reserveCapacity(36)
                for (i, b) in raw.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { s.append("-") }
                    Self.appendHex(b, to: &s)
                }
                return s
            case .timestamp:
                guard let n = varint(), n < 100_000_000_000_000 else { return nil }
                let digits = Array(String(n).utf8)
                var d = [UInt8](repeating: UInt8(ascii: "0"), count: 14 - digits.count)
                d.append(contentsOf: digits)
                var pieces: [UInt8] = []
                pieces.reserveCapacity(20)
                for (i, c) in d.enumerated() {
                    switch i {
                    case 4, 6: pieces.append(UInt8(ascii: "-"))
                    case 8: pieces.append(UInt8(ascii: "T"))
                    case 10, 12: pieces.append(UInt8(ascii: ":"))
                    default: break
                    }
                    pieces.append(c)
                }
                pieces.append(UInt8(ascii: "Z"))
                return String(decoding: pieces, as: UTF8.self)
            case .hex:
                guard let n = length(), let raw = raw(n) else { return nil }
                var s = ""
                s.reserveCapacity(n * 2)
                for b in raw { Self.appendHex(b, to: &s) }
                return s
            case .counterHex:
                guard let counter = varint(), let n = length(), let raw = raw(n) else { return nil }
                var s = String(counter) + "-"
                s.reserveCapacity(s.utf8.count + n * 2)
                for b in raw { Self.appendHex(b, to: &s) }
                return s
            default:
                if tag >= CompactJSON.dictionaryBase {
                    let id = Int(tag - CompactJSON.dictionaryBase)
                    guard id < CompactJSON.dictionary.count else { return nil }
                    return CompactJSON.dictionary[id]
                }
                return nil
            }
        }

        static let hexDigits = Array("0123456789abcdef".unicodeScalars)

        static func appendHex(_ b: UInt8, to s: inout String) {
            s.unicodeScalars.append(hexDigits[Int(b >> 4)])
            s.unicodeScalars.append(hexDigits[Int(b & 0x0f)])
        }
    }
}
