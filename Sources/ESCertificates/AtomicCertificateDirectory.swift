// A directory whose certificate files switch atomically as a set (kubelet's `..data` symlink layout).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `path/tls.crt -> ..data/tls.crt`, `path/..data -> ..certs_XXXXXX/` holding the real files.
struct AtomicCertificateDirectory {
    static let dataLink = "..data"
    static let maximumFileBytes = 1 << 20

    var path: String

    // MARK: Reading

    func read() throws(CertificateError) -> CertificateFiles? {
        for _ in 0..<5 {
            let link = Self.readLink("\(path)/\(Self.dataLink)")
            let base = link.map { $0.hasPrefix("/") ? $0 : "\(path)/\($0)" } ?? path
            let files = try readFiles(in: base)
            // A file missing from a linked snapshot may mean the snapshot was swapped and removed while we read
            // it: read again through the new link.
            if files == nil, link != nil, Self.readLink("\(path)/\(Self.dataLink)") != link {
                continue
            }
            return files
        }
        throw CertificateError("\(path): certificate files kept changing while being read")
    }

    private func readFiles(in base: String) throws(CertificateError) -> CertificateFiles? {
        guard let caCertificate = try Self.readFile("\(base)/\(CertificateFiles.caCertificateFileName)"),
              let certificate = try Self.readFile("\(base)/\(CertificateFiles.certificateFileName)"),
              let key = try Self.readFile("\(base)/\(CertificateFiles.keyFileName)")
        else { return nil }
        let caKey = try Self.readFile("\(base)/\(CertificateFiles.caKeyFileName)")
        return CertificateFiles(caCertificatePEM: caCertificate, caKeyPEM: caKey, certificatePEM: certificate, keyPEM: key)
    }

    // MARK: Writing

    func write(_ files: CertificateFiles) throws(CertificateError) {
        try Self.makeDirectories(path)
        var template = Array("\(path)/..certs_XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw Self.systemError("creating a directory in \(path)") }
        let snapshot = String(cString: created)
        let snapshotName = String(snapshot.dropFirst(path.count + 1))
        chmod(snapshot, 0o755)

        var entries: [(name: String, text: String, mode: mode_t)] = [
            (CertificateFiles.caCertificateFileName, files.caCertificatePEM, 0o644),
            (CertificateFiles.certificateFileName, files.certificatePEM, 0o644),
            (CertificateFiles.keyFileName, files.keyPEM, 0o600),
        ]
        if let caKey = files.caKeyPEM {
            entries.append((CertificateFiles.caKeyFileName, caKey, 0o600))
        }
        do {
            for entry in entries {
                try Self.writeFile("\(snapshot)/\(entry.name)", entry.text, mode: entry.mode)
            }
        } catch {
            Self.removeSnapshot(snapshot)
            throw error
        }

        let previous = Self.readLink("\(path)/\(Self.dataLink)")
        try Self.replaceSymlink(at: "\(path)/\(Self.dataLink)", pointingTo: snapshotName)
        for entry in entries {
            let target = "\(Self.dataLink)/\(entry.name)"
            if Self.readLink("\(path)/\(entry.name)") != target {
                try Self.replaceSymlink(at: "\(path)/\(entry.name)", pointingTo: target)
            }
        }
        if files.caKeyPEM == nil {
            unlink("\(path)/\(CertificateFiles.caKeyFileName)")
        }
        Self.syncDirectory(path)
        if let previous, previous != snapshotName, previous.hasPrefix(".."), !previous.contains("/") {
            Self.removeSnapshot("\(path)/\(previous)")
        }
    }

    // MARK: System calls

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The file's text, or nil when it does not exist.
    static func readFile(_ path: String) throws(CertificateError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw systemError("reading \(path)")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw systemError("reading \(path)")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumFileBytes { throw CertificateError("\(path) is larger than 1 MiB") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func writeFile(_ path: String, _ text: String, mode: mode_t) throws(CertificateError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw systemError("creating \(path)") }
        defer { close(descriptor) }
        fchmod(descriptor, mode)  // not subject to the umask
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw systemError("writing \(path)")
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw systemError("syncing \(path)") }
    }

    /// Atomically makes `path` a symlink to `target` (replacing whatever is there).
    static func replaceSymlink(at path: String, pointingTo target: String) throws(CertificateError) {
        let temporary = "\(path).tmp"
        unlink(temporary)
        guard symlink(target, temporary) == 0 else { throw systemError("linking \(temporary)") }
        guard rename(temporary, path) == 0 else {
            let error = systemError("renaming \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
    }

    static func makeDirectories(_ path: String) throws(CertificateError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/\(component)"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw systemError("creating \(prefix)")
            }
        }
    }

    static func removeSnapshot(_ directory: String) {
        for name in [CertificateFiles.caCertificateFileName, CertificateFiles.caKeyFileName,
                     CertificateFiles.certificateFileName, CertificateFiles.keyFileName] {
            unlink("\(directory)/\(name)")
        }
        rmdir(directory)
    }

    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func systemError(_ operation: String) -> CertificateError {
        let code = errno
        let reason = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
        return CertificateError("\(operation): \(reason)")
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif
