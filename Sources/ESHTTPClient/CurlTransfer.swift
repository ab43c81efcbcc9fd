internal import CCurl
import Synchronization

/// The state of one transfer. Everything except `cancelled` is touched only on the loop thread, which
/// is the single owner from submission to completion; that is what makes the unchecked Sendable sound.
final class CurlTransfer: @unchecked Sendable {
    enum Mode {
        case buffered(maxBytes: Int)
        case streaming(@Sendable ([UInt8]) -> Bool)
    }

    let request: HTTPClientRequest
    let tls: HTTPClientTLS
    let totalTimeout: Duration?
    let connectTimeout: Duration
    let mode: Mode
    private let cancelledFlag = Atomic<Bool>(false)

    // Loop-thread state.
    var continuation: CheckedContinuation<HTTPClientResponse, any Error>?
    var handle: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var errorBuffer: UnsafeMutablePointer<CChar>?
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    var stoppedByReceiver = false
    var exceededLimit = false

    init(request: HTTPClientRequest, tls: HTTPClientTLS, totalTimeout: Duration?, connectTimeout: Duration, mode: Mode) {
        self.request = request
        self.tls = tls
        self.totalTimeout = totalTimeout
        self.connectTimeout = connectTimeout
        self.mode = mode
    }

    var isCancelled: Bool { cancelledFlag.load(ordering: .acquiring) }
    func cancel() { cancelledFlag.store(true, ordering: .releasing) }

    /// Called by libcurl for each received body chunk. Returning fewer bytes than given aborts the transfer.
    func receive(_ chunk: UnsafeRawBufferPointer) -> Int {
        switch mode {
        case .buffered(let maxBytes):
            if body.count + chunk.count > maxBytes {
                exceededLimit = true
                return 0
            }
            body.append(contentsOf: chunk)
        case .streaming(let onData):
            if !onData(Array(chunk)) {
                stoppedByReceiver = true
                return 0
            }
        }
        return chunk.count
    }

    /// Called by libcurl for each header line, including status lines of informational responses.
    func receiveHeaderLine(_ raw: UnsafeRawBufferPointer) {
        var line = String(decoding: raw, as: UTF8.self)
        while line.hasSuffix("\r\n") || line.hasSuffix("\n") { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            headers.removeAll()   // a new response starts (after 100 Continue, for instance)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingSpaces()
        headers.append((name, value))
    }

    func releaseBuffers() {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        errorBuffer?.deallocate()
        errorBuffer = nil
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return String(s)
    }
}
