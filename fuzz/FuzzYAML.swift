// libFuzzer entry: libyaml-backed YAML decoding into JSON values, then the YAML writer.
import ESJSON
import ESYAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let documents = try? YAML.parseDocuments(text) else { return 0 }
    for document in documents { _ = YAML.serialize(document.value) }
    return 0
}
