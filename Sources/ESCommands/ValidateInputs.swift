#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One manifest source given to `validate`: its display name and text.
struct ManifestSource {
    var name: String
    var text: String
}

/// A path that could not be read (missing, unreadable, not UTF-8 text).
struct UnreadableInput: Error {
    var path: String
    var reason: String
}

/// Expands `-f` arguments into manifest sources: `-` is standard input, a directory is walked
/// recursively for `.yaml`, `.yml` and `.json` files (sorted), anything else is read as a file.
enum ValidateInputs {
    static let manifestExtensions = [".yaml", ".yml", ".json"]
    /// Larger inputs are refused rather than read into memory.
    static let maximumFileBytes = 64 << 20

    static func collect(_ arguments: [String], readStandardInput: () -> [UInt8]?) -> [Result<ManifestSource, UnreadableInput>] {
        var out: [Result<ManifestSource, UnreadableInput>] = []
        for argument in arguments {
            if argument == "-" {
                if let bytes = readStandardInput() {
                    out.append(.success(ManifestSource(name: "<stdin>", text: String(decoding: bytes, as: UTF8.self))))
                } else {
                    out.append(.failure(UnreadableInput(path: "<stdin>", reason: "cannot read standard input")))
                }
            } else if isDirectory(argument) {
                for file in walk(argument) { out.append(read(file)) }
            } else {
                out.append(read(argument))
            }
        }
        return out
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Manifest files under `directory`, depth-first, names sorted; hidden entries skipped.
    static func walk(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [directory] }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(dir)
        var files: [String] = []
        for name in names.sorted() {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if isDirectory(path) {
                files += walk(path)
            } else if manifestExtensions.contains(where: { name.lowercased().hasSuffix($0) }) {
                files.append(path)
            }
        }
        return files
    }

    static func read(_ path: String) -> Result<ManifestSource, UnreadableInput> {
        guard let file = fopen(path, "rb") else {
            return .failure(UnreadableInput(path: path, reason: String(cString: strerror(errno))))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n > 0 { bytes += chunk[0..<n] }
            if bytes.count > maximumFileBytes {
                return .failure(UnreadableInput(path: path, reason: "larger than \(maximumFileBytes) bytes"))
            }
            if n < chunk.count {
                if ferror(file) != 0 { return .failure(UnreadableInput(path: path, reason: String(cString: strerror(errno)))) }
                break
            }
        }
        return .success(ManifestSource(name: path, text: String(decoding: bytes, as: UTF8.self)))
    }

    /// All of standard input (for `-f -`).
    static func readStandardInput() -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { readStandardInputChunk($0) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
            if bytes.count > maximumFileBytes { return nil }
        }
    }
}

/// One `read(2)` from file descriptor 0.
private func readStandardInputChunk(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
    #if canImport(Glibc)
    return Glibc.read(0, buffer.baseAddress, buffer.count)
    #else
    return Darwin.read(0, buffer.baseAddress, buffer.count)
    #endif
}
