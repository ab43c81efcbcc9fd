internal import CCurl
import Foundation
import Synchronization

/// One thread driving a libcurl multi handle. Transfers are submitted from any thread; the loop adds them,
/// runs them concurrently (connection cache, HTTP/2 multiplexing and DNS cache live in the multi handle, so
/// connections are reused across requests) and resumes each caller's continuation on completion. Blocking
/// libcurl work therefore never runs on Swift's cooperative pool.
final class CurlMultiLoop: Sendable {
    /// Created by the first `HTTPClient`, which is when libcurl gets loaded.
    static let shared: Result<CurlMultiLoop, HTTPClientError> = {
        if let error = CurlLibrary.loadError { return .failure(error) }
        return .success(CurlMultiLoop())
    }()

    private struct Inbox: ~Copyable {
        var submitted: [CurlTransfer] = []
        var cancelRequested = false
    }

    private let inbox = Mutex(Inbox())
    /// The CURLM pointer, stored as an integer so the class stays Sendable; only the loop thread uses it
    /// (except for `curl_multi_wakeup`, which libcurl documents as callable from any thread).
    private let multiAddress: UInt

    private init() {
        guard let multi = curl_multi_init() else {
            // Out of memory at process start: nothing sensible can run without it.
            preconditionFailure("curl_multi_init failed")
        }
        _ = es_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = es_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 16)
        // One idle-connection cache for every client in the process (API server, each provider endpoint, ...):
        // large enough that many destinations do not evict each other's keep-alive connections. Idle
        // sockets cost a file descriptor and a few KiB each.
        _ = es_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 256)
        multiAddress = UInt(bitPattern: multi)
        let thread = Thread { [self] in self.run() }
        thread.name = "es-http-client"
        thread.start()
    }

    private var multi: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: multiAddress)!
    }

    func submit(_ transfer: CurlTransfer) {
        inbox.withLock { $0.submitted.append(transfer) }
        curl_multi_wakeup(multi)
    }

    /// Asks the loop to look at cancelled transfers now rather than at its next tick.
    func noteCancellation() {
        inbox.withLock { $0.cancelRequested = true }
        curl_multi_wakeup(multi)
    }

    // MARK: Loop thread

    private func run() {
        var active: [UInt: CurlTransfer] = [:]
        var idleHandles: [UnsafeMutableRawPointer] = []
        let multi = self.multi

        func finish(_ transfer: CurlTransfer, code: CURLcode?) {
            let handle = transfer.handle
            if let handle {
                curl_multi_remove_handle(multi, handle)
                active[UInt(bitPattern: handle)] = nil
            }
            let result = outcome(of: transfer, code: code)
            transfer.releaseBuffers()
            if let handle {
                curl_easy_reset(handle)
                if idleHandles.count < 32 { idleHandles.append(handle) } else { curl_easy_cleanup(handle) }
            }
            transfer.handle = nil
            let continuation = transfer.continuation
            transfer.continuation = nil
            continuation?.resume(with: result)
        }

        while true {
            let (submitted, _) = inbox.withLock { box -> ([CurlTransfer], Bool) in
                defer { box.submitted.removeAll(); box.cancelRequested = false }
                return (box.submitted, box.cancelRequested)
            }
            for transfer in submitted {
                if transfer.isCancelled { finish(transfer, code: nil); continue }
                guard let handle = idleHandles.popLast() ?? curl_easy_init() else {
                    transfer.continuation?.resume(throwing: HTTPClientError(kind: .transport, message: "curl_easy_init failed"))
                    transfer.continuation = nil
                    continue
                }
                transfer.handle = handle
                do {
                    try CurlEasyConfiguration.apply(transfer, to: handle)
                } catch {
                    transfer.releaseBuffers()
                    curl_easy_reset(handle)
                    idleHandles.append(handle)
                    transfer.handle = nil
                    transfer.continuation?.resume(throwing: error)
                    transfer.continuation = nil
                    continue
                }
                active[UInt(bitPattern: handle)] = transfer
                curl_multi_add_handle(multi, handle)
            }
            for transfer in active.values where transfer.isCancelled {
                finish(transfer, code: nil)
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let transfer = active[UInt(bitPattern: easy)] else { continue }
                finish(transfer, code: message.pointee.data.result)
            }
            curl_multi_poll(multi, nil, 0, active.isEmpty ? 5_000 : 500, nil)
        }
    }

    private func outcome(of transfer: CurlTransfer, code: CURLcode?) -> Result<HTTPClientResponse, any Error> {
        if transfer.isCancelled && !(code == CURLE_OK) { return .failure(CancellationError()) }
        guard let code, let handle = transfer.handle else { return .failure(CancellationError()) }
        if code == CURLE_OK || (code == CURLE_WRITE_ERROR && transfer.stoppedByReceiver) {
            var status = 0
            _ = es_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return .success(HTTPClientResponse(status: status, headers: transfer.headers, body: transfer.body))
        }
        if transfer.exceededLimit, case .buffered(let maxBytes) = transfer.mode {
            return .failure(HTTPClientError(kind: .responseTooLarge, curlCode: Int(code.rawValue),
                                            message: "response body exceeds \(maxBytes) bytes"))
        }
        var message = transfer.errorBuffer.map { String(cString: $0) } ?? ""
        if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
        return .failure(HTTPClientError(kind: kind(of: code), curlCode: Int(code.rawValue),
                                        message: "\(transfer.request.method) \(redacted(transfer.request.url)): \(message)"))
    }

    private func kind(of code: CURLcode) -> HTTPClientError.Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
             CURLE_SSL_CLIENTCERT, CURLE_SSL_SHUTDOWN_FAILED:
            return .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidRequest
        default: return .transport
        }
    }

    /// The URL without its query, which may carry credentials (presigned requests).
    private func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }
}
