// libFuzzer entry: the incremental HTTP/1.1 request parser, fed in two pieces split by the first
// byte; every request it yields is read, and it must stop (error or need-more-data) in bounded steps.
import ESHTTP

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    var parser = HTTPRequestParser()
    for piece in [bytes[..<split], bytes[split...]] {
        parser.append(contentsOf: piece)
        var steps = 0
        while steps < 10_000 {
            steps += 1
            guard let output = try? parser.next() else { return 0 }
            switch output {
            case .request(let request): _ = request.queryItems()
            case .continueExpected: continue
            case .needMoreData: steps = 10_000
            }
        }
    }
    return 0
}
