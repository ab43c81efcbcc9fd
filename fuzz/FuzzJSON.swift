// libFuzzer entry: the JSON parser, the indexing parser and the serializer. The indexing parser must
// fail exactly where the tree parser fails and read back the same tree; whatever parses must round-trip.
import ESJSON

/// Indexes `a` and `b.c` only: whatever else the fuzzer writes at those levels is checked, not indexed.
let selection = JSONTape.Selection.members(["a": .everything, "b": .members(["c": .everything])])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let tree: JSON
    do {
        tree = try JSON.parse(input)
    } catch {
        for indexing in [JSONTape.Selection.everything, selection] {
            do {
                _ = try JSONTape.parse(input, indexing: indexing)
                fatalError("the indexing parser accepted what the tree parser rejects")
            } catch let tapeError {
                guard tapeError == error else { fatalError("the indexing parser failed differently") }
            }
        }
        return 0
    }
    guard let tape = try? JSONTape.parse(input), tape.root.json == tree,
          let selective = try? JSONTape.parse(input, indexing: selection), selective.root.json == tree,
          selective.root["b"]?.objectValue?.members.map(\.value.json) == tree["b"]?.objectValue?.values
    else {
        fatalError("the indexing parser read back a different value")
    }
    guard let again = try? JSON.parse(tree.serialized()), again == tree else { fatalError("JSON round trip changed the value") }
    return 0
}
