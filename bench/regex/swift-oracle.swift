import ESRegex
import Foundation

while let line = readLine(strippingNewline: true) {
    let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    let pattern = object["pattern"] as! String
    let inputs = object["inputs"] as! [String]
    var out: [String: Any] = ["error": ""]
    do {
        let re = try GoRegex(pattern)
        out["names"] = re.subexpressionNames
        out["find"] = inputs.map { re.allMatchOffsets(in: $0) }
        out["match"] = inputs.map { re.matches($0) }
        out["replace"] = inputs.map { re.replaceAll(in: $0, with: "<$1|${2}x$$>") }
        out["split"] = inputs.map { re.split($0) }
    } catch {
        out["error"] = error.description
    }
    let data = try! JSONSerialization.data(withJSONObject: out)
    print(String(decoding: data, as: UTF8.self))
}
