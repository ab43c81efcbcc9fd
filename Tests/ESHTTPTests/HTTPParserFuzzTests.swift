import ESHTTP
import Testing

/// A small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct HTTPParserFuzzTests {
    static let seeds: [String] = [
        "GET /a?b=c HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n",
        "POST /validate HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: v\r\n\r\n",
        "PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    ]

    /// Mutated and random inputs, fed in random pieces: the parser never crashes, never returns more
    /// body than the limit, and keeps its buffer bounded.
    @Test func mutatedInputsNeverCrashAndStayBounded() {
        var random = SplitMix64(state: 0x5EED)
        let limits = HTTPParserLimits(maxHeaderBytes: 256, maxBodyBytes: 64)
        let alphabet = Array("\r\n :;0123456789abcdefABCDEF-/GETPOSTHTTP/1.chunkedContent-Length\u{00}\u{7f}\u{ff}".utf8)
        for iteration in 0..<3000 {
            var bytes = Array(Self.seeds[iteration % Self.seeds.count].utf8)
            if iteration % 5 == 4 {
                bytes = (0..<Int.random(in: 0...400, using: &random)).map { _ in
                    alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                }
            } else {
                for _ in 0..<Int.random(in: 1...6, using: &random) where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<4, using: &random) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.remove(at: index)
                    case 2: bytes.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &random)], at: index)
                    default: bytes.insert(contentsOf: bytes[index..<min(bytes.count, index + 40)], at: index)
                    }
                }
            }
            var parser = HTTPRequestParser(limits: limits)
            var offset = 0
            feeding: while offset < bytes.count {
                let step = Int.random(in: 1...max(1, bytes.count - offset), using: &random)
                parser.append(contentsOf: bytes[offset..<(offset + step)])
                offset += step
                do {
                    draining: while true {
                        switch try parser.next() {
                        case .request(let request): #expect(request.body.count <= limits.maxBodyBytes)
                        case .continueExpected: continue
                        case .needMoreData: break draining
                        }
                    }
                } catch {
                    #expect([400, 413, 417, 431, 501, 505].contains(error.status))
                    break feeding
                }
                #expect(parser.bufferedByteCount <= bytes.count)
            }
        }
    }

    /// An endless header or chunk stream is cut off at the limit instead of buffering forever.
    @Test func endlessInputIsRejectedAtTheLimit() {
        let limits = HTTPParserLimits(maxHeaderBytes: 1024, maxBodyBytes: 4096)
        var parser = HTTPRequestParser(limits: limits)
        parser.append(contentsOf: Array("GET / HTTP/1.1\r\nHost: h\r\n".utf8))
        var status: Int?
        for _ in 0..<100 {
            parser.append(contentsOf: Array("X-A: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n".utf8))
            do { _ = try parser.next() } catch { status = error.status; break }
        }
        #expect(status == 431)

        var chunked = HTTPRequestParser(limits: limits)
        chunked.append(contentsOf: Array("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        status = nil
        for _ in 0..<1000 {
            chunked.append(contentsOf: Array("10\r\n0123456789abcdef\r\n".utf8))
            do { _ = try chunked.next() } catch { status = error.status; break }
        }
        #expect(status == 413)
    }
}
