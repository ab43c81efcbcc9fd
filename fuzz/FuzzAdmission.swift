// libFuzzer entry: an AdmissionReview body through the whole webhook path (decode, validate,
// default, respond) for every validating and mutating path.
import ESAdmission

let fuzzPaths = [
    "/validate-external-secrets-io-v1-externalsecret", "/validate-external-secrets-io-v1-secretstore",
    "/validate-external-secrets-io-v1-clustersecretstore", "/mutate-external-secrets-io-v1-externalsecret",
    "/validate-external-secrets-io-v1beta1-externalsecret", "/mutate-external-secrets-io-v1-secretstore",
]
let fuzzHandler = AdmissionHandler()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAdmission(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    let path = fuzzPaths[size % fuzzPaths.count]
    _ = fuzzHandler.respond(method: "POST", path: path, contentType: "application/json", body: body)
    return 0
}
