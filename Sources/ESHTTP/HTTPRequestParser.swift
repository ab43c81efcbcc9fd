/// What the parser produced from the bytes it has so far.
public enum HTTPParserOutput: Sendable {
    /// A complete request (head and body). Call `next()` again: more may be buffered (pipelining).
    case request(HTTPRequest)
    /// The client sent `Expect: 100-continue` and waits for `HTTP/1.1 100 Continue` before the body.
    case continueExpected
    /// Feed more bytes with `append`.
    case needMoreData
}

/// Incremental HTTP/1.1 request parser: feed bytes as they arrive, take requests out in order.
///
/// Handles `Content-Length` and chunked bodies, pipelined requests in one buffer, and enforces
/// `HTTPParserLimits` while bytes arrive (the buffer never holds more than the limits allow for the
/// request being parsed plus what the caller appended). After an error the parser stays failed.
public struct HTTPRequestParser: Sendable {
    public let limits: HTTPParserLimits

    private var buffer: [UInt8] = []
    /// First byte not yet consumed.
    private var start = 0
    /// Where the search for the end of the header block resumes.
    private var scanned = 0
    private var state: State = .head
    /// The request whose body is being read.
    private var pending: HTTPRequest?
    private var failure: HTTPParseError?

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
    }

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// Bytes received but not yet consumed by a returned request.
    public var bufferedByteCount: Int { buffer.count - start }

    /// True between requests with nothing buffered: the connection is idle, not mid-request.
    public var isIdle: Bool {
        if case .head = state { return start == buffer.count && pending == nil }
        return false
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, a request for `100 Continue`, or `.needMoreData`.
    public mutating func next() throws(HTTPParseError) -> HTTPParserOutput {
        if let failure { throw failure }
        do {
            return try step()
        } catch {
            failure = error
            buffer = []
            start = 0
            scanned = 0
            pending = nil
            throw error
        }
    }

    private mutating func compact() {
        if start == buffer.count {
            if buffer.capacity > 64 * 1024 { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
            start = 0
            scanned = 0
        } else if start >= 4096 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
    }

    private mutating func step() throws(HTTPParseError) -> HTTPParserOutput {
        while true {
            switch state {
            case .head:
                // RFC 9112 §2.2: ignore empty lines before a request line.
                while start < buffer.count, buffer[start] == ByteSet.cr || buffer[start] == ByteSet.lf { start += 1 }
                if scanned < start { scanned = start }
                guard let headEnd = findHeadEnd() else {
                    if buffer.count - start > limits.maxHeaderBytes { throw .headerTooLarge(limit: limits.maxHeaderBytes) }
                    return .needMoreData
                }
                if headEnd - start > limits.maxHeaderBytes { throw .headerTooLarge(limit: limits.maxHeaderBytes) }
                let head = try buffer.withUnsafeBufferPointer { all throws(HTTPParseError) in
                    try HTTPHeadParser.parse(UnsafeBufferPointer(rebasing: all[start..<headEnd]), limits: limits)
                }
                start = headEnd
                scanned = headEnd
                switch head.framing {
                case .none:
                    return .request(head.request)
                case .length(let length):
                    var request = head.request
                    request.body.reserveCapacity(length)
                    pending = request
                    state = .fixedBody(remaining: length)
                case .chunked:
                    pending = head.request
                    state = .chunkSize
                }
                if head.expectsContinue && start == buffer.count { return .continueExpected }

            case .fixedBody(let remaining):
                let available = min(remaining, buffer.count - start)
                if available > 0 {
                    pending?.body.append(contentsOf: buffer[start..<(start + available)])
                    start += available
                }
                if remaining == available { return finishPending() }
                state = .fixedBody(remaining: remaining - available)
                return .needMoreData

            case .chunkSize:
                guard let lineEnd = indexOfLineFeed(from: start) else {
                    if buffer.count - start > 1024 { throw .malformed("chunk size line too long") }
                    return .needMoreData
                }
                let size = try parseChunkSize(start..<lineEnd)
                start = lineEnd + 1
                let bodySoFar = pending?.body.count ?? 0
                if size > limits.maxBodyBytes - bodySoFar { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
                state = size == 0 ? .trailers(bytes: 0) : .chunkData(remaining: size)

            case .chunkData(let remaining):
                let available = min(remaining, buffer.count - start)
                if available > 0 {
                    pending?.body.append(contentsOf: buffer[start..<(start + available)])
                    start += available
                }
                if remaining == available {
                    state = .chunkDataEnd
                } else {
                    state = .chunkData(remaining: remaining - available)
                    return .needMoreData
                }

            case .chunkDataEnd:
                guard start < buffer.count else { return .needMoreData }
                if buffer[start] == ByteSet.lf {
                    start += 1
                } else if buffer[start] == ByteSet.cr {
                    guard start + 1 < buffer.count else { return .needMoreData }
                    guard buffer[start + 1] == ByteSet.lf else { throw .malformed("missing CRLF after chunk data") }
                    start += 2
                } else {
                    throw .malformed("missing CRLF after chunk data")
                }
                state = .chunkSize

            case .trailers(let bytes):
                guard let lineEnd = indexOfLineFeed(from: start) else {
                    if bytes + buffer.count - start > limits.maxHeaderBytes {
                        throw .headerTooLarge(limit: limits.maxHeaderBytes)
                    }
                    return .needMoreData
                }
                let lineLength = lineEnd - start
                let isEmpty = lineLength == 0 || (lineLength == 1 && buffer[start] == ByteSet.cr)
                start = lineEnd + 1
                if isEmpty { return finishPending() }
                let total = bytes + lineLength + 1
                if total > limits.maxHeaderBytes { throw .headerTooLarge(limit: limits.maxHeaderBytes) }
                state = .trailers(bytes: total)   // trailer fields are accepted and dropped
            }
        }
    }

    private mutating func finishPending() -> HTTPParserOutput {
        state = .head
        scanned = start
        guard let request = pending else { return .needMoreData }
        pending = nil
        return .request(request)
    }

    /// Index just past the blank line ending the header block (LF LF or LF CR LF), if buffered.
    private mutating func findHeadEnd() -> Int? {
        let count = buffer.count
        let result: (found: Int?, resume: Int) = buffer.withUnsafeBufferPointer { bytes in
            var index = scanned
            while index < count {
                if bytes[index] == ByteSet.lf {
                    if index + 1 >= count { return (nil, index) }
                    let next = bytes[index + 1]
                    if next == ByteSet.lf { return (index + 2, index) }
                    if next == ByteSet.cr {
                        if index + 2 >= count { return (nil, index) }
                        if bytes[index + 2] == ByteSet.lf { return (index + 3, index) }
                    }
                }
                index += 1
            }
            return (nil, count)
        }
        scanned = result.resume
        return result.found
    }

    private func indexOfLineFeed(from index: Int) -> Int? {
        var i = index
        while i < buffer.count {
            if buffer[i] == ByteSet.lf { return i }
            i += 1
        }
        return nil
    }

    /// `1*HEXDIG [ chunk-ext ] [CR]`; extensions are ignored.
    private func parseChunkSize(_ range: Range<Int>) throws(HTTPParseError) -> Int {
        var size = 0
        var digits = 0
        var index = range.lowerBound
        while index < range.upperBound, let value = PercentDecoding.hexValue(buffer[index]) {
            if digits >= 15 { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
            size = size << 4 | Int(value)
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw .malformed("invalid chunk size") }
        while index < range.upperBound, buffer[index] == ByteSet.space || buffer[index] == ByteSet.tab { index += 1 }
        if index < range.upperBound {
            let c = buffer[index]
            if c == ByteSet.cr && index + 1 == range.upperBound { return size }
            guard c == UInt8(ascii: ";") else { throw .malformed("invalid chunk size") }
            for i in index..<range.upperBound where ByteSet.isControl(buffer[i]) && buffer[i] != ByteSet.tab {
                if buffer[i] == ByteSet.cr && i + 1 == range.upperBound { break }
                throw .malformed("invalid chunk extension")
            }
        }
        return size
    }
}
