import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Holds the current `TLSServerContext` and replaces it when the certificate files change.
///
/// New handshakes use the newest context; established connections keep the one they started with.
/// A change that cannot be loaded (half-written files, mismatched key) keeps the previous context and
/// is retried on the next check.
public final class TLSContextProvider: Sendable {
    public let configuration: TLSConfiguration
    private let logger: Logger
    private let state = Mutex<State>(State())
    private let watcher = Mutex<Task<Void, Never>?>(nil)

    private struct State {
        var context: TLSServerContext?
        var certificateStamp: CertificateFileStamp?
        var keyStamp: CertificateFileStamp?
        var lastError: String?
    }

    public init(configuration: TLSConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    deinit { watcher.withLock { $0?.cancel() } }

    /// The context for a new handshake, or nil while no valid certificate is loaded.
    public var current: TLSServerContext? { state.withLock { $0.context } }

    /// Ready: a certificate is loaded and has not expired.
    public var isReady: Bool {
        guard let context = current else { return false }
        return context.isValid(now: Int64(time(nil)))
    }

    /// The last load error, if the most recent attempt failed.
    public var lastError: String? { state.withLock { $0.lastError } }

    /// Loads the files now. Throws when no context could be built (the previous one, if any, stays).
    @discardableResult
    public func reload() throws(TLSError) -> TLSServerContext {
        let certificateStamp = CertificateFileStamp(path: configuration.certificatePath)
        let keyStamp = CertificateFileStamp(path: configuration.privateKeyPath)
        do {
            let context = try TLSServerContext(certificatePath: configuration.certificatePath,
                                               privateKeyPath: configuration.privateKeyPath,
                                               minimumVersion: configuration.minimumVersion)
            let previous = state.withLock { state -> TLSServerContext? in
                let previous = state.context
                state.context = context
                state.certificateStamp = certificateStamp
                state.keyStamp = keyStamp
                state.lastError = nil
                return previous
            }
            if previous?.serialHex != context.serialHex {
                logger.info("serving certificate loaded", metadata: [
                    "certDir": "\(configuration.certDirectory)", "serial": "\(context.serialHex)",
                ])
            }
            return context
        } catch {
            state.withLock { state in
                state.certificateStamp = certificateStamp
                state.keyStamp = keyStamp
                state.lastError = error.message
            }
            throw error
        }
    }

    /// Reloads when `tls.crt` or `tls.key` changed since the last attempt (or the last one failed).
    public func reloadIfChanged() {
        let certificateStamp = CertificateFileStamp(path: configuration.certificatePath)
        let keyStamp = CertificateFileStamp(path: configuration.privateKeyPath)
        let changed = state.withLock { state in
            state.lastError != nil || state.context == nil
                || state.certificateStamp != certificateStamp || state.keyStamp != keyStamp
        }
        guard changed, certificateStamp != nil, keyStamp != nil else { return }
        do {
            try reload()
        } catch {
            logger.warning("cannot load serving certificate; keeping the previous one",
                           metadata: ["certDir": "\(configuration.certDirectory)", "error": "\(error.message)"])
        }
    }

    /// Starts polling the files every `configuration.reloadInterval`.
    public func startWatching() {
        let interval = configuration.reloadInterval
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                self.reloadIfChanged()
            }
        }
        watcher.withLock { existing in
            existing?.cancel()
            existing = task
        }
    }

    public func stopWatching() {
        watcher.withLock { existing in
            existing?.cancel()
            existing = nil
        }
    }
}
