import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where finished log lines go. Lines are written whole (one write per line, serialized).
public final class LogSink: Sendable {
    private enum Target: Sendable {
        case fileDescriptor(Int32)
        case memory
    }

    private let target: Target
    private let lock = Mutex<[String]>([])

    /// Standard error (the default for the server).
    public static let standardError = LogSink(target: .fileDescriptor(2))
    /// Standard output.
    public static let standardOutput = LogSink(target: .fileDescriptor(1))

    /// Collects lines in memory (for tests).
    public static func memory() -> LogSink { LogSink(target: .memory) }

    private init(target: Target) { self.target = target }

    public func write(line: [UInt8]) {
        switch target {
        case .memory:
            lock.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
        case .fileDescriptor(let fd):
            lock.withLock { _ in
                var offset = 0
                line.withUnsafeBytes { bytes in
                    while offset < bytes.count {
                        let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                        if written < 0 && errno == EINTR { continue }
                        if written <= 0 { return }
                        offset += written
                    }
                }
            }
        }
    }

    /// Lines collected by a memory sink, without their newline.
    public var lines: [String] {
        lock.withLock { lines in lines.map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 } }
    }
}
