// libFuzzer entry: the JSON parser and serializer. Whatever parses must round-trip.
import ESJSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let value = try? JSON.parse(UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    guard let again = try? JSON.parse(value.serialized()), again == value else { fatalError("JSON round trip changed the value") }
    return 0
}
