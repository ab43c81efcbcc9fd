import ArgumentParser
import ESJSON
import ESTemplate
import ESYAML
import Foundation

/// `external-secrets render -f externalsecret.yaml --data data.json|yaml [--template-from file...]`:
/// offline, like upstream's `esoctl template` — applies `spec.target.template` to the given data and
/// prints the Secret the controller would write.
public struct RenderCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render an ExternalSecret's target template offline and print the resulting Secret.",
        discussion: """
            --data is a JSON or YAML map of key to value: esoctl's format (values base64-encoded) or \
            plain strings (--data-format auto picks base64 when every value is valid padded base64). \
            --template-from files hold the ConfigMaps and Secrets that templateFrom references.
            """)

    public enum DataFormat: String, ExpressibleByArgument, Sendable { case auto, base64, plain }

    @Option(name: [.customShort("f"), .customLong("filename")], help: "The ExternalSecret manifest (YAML or JSON).")
    public var filename: String

    @Option(name: .long, help: "The provider data: a JSON or YAML map of key to value.")
    public var data: String

    @Option(name: .customLong("data-format"), help: "How --data values are encoded: auto, base64 or plain.")
    public var dataFormat: DataFormat = .auto

    @Option(name: .customLong("template-from"), help: "A file with ConfigMaps/Secrets referenced by templateFrom (repeatable).")
    public var templateFrom: [String] = []

    @Option(name: .customLong("template-left-delimiter"), help: "Left template delimiter.")
    public var leftDelimiter: String = "{{"

    @Option(name: .customLong("template-right-delimiter"), help: "Right template delimiter.")
    public var rightDelimiter: String = "}}"

    public init() {}

    public func run() throws {
        do {
            print(try render(readFile: RenderInputs.readFile), terminator: "")
        } catch let error as RenderInputs.Failure {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The Secret YAML, without process side effects.
    public func render(readFile: (String) throws -> String) throws -> String {
        let esText = try RenderInputs.read(filename, readFile)
        let externalSecret = try RenderInputs.externalSecret(from: esText, path: filename)
        let fetched = try RenderInputs.dataMap(try RenderInputs.read(data, readFile), path: data, format: dataFormat)
        var sources = TemplateSources()
        for path in templateFrom {
            try RenderInputs.addSources(try RenderInputs.read(path, readFile), path: path, to: &sources)
        }
        let templateJSON = externalSecret["spec"]?["target"]?["template"]
        let spec: SecretTemplateSpec?
        do { spec = try templateJSON.map { try SecretTemplateSpec(json: $0) } } catch {
            throw RenderInputs.Failure(message: "\(filename): \(error)")
        }
        var secret = RenderedSecret()
        do {
            try SecretTemplateRenderer.apply(spec, fetched: fetched, sources: sources, to: &secret,
                                             leftDelimiter: leftDelimiter, rightDelimiter: rightDelimiter)
        } catch {
            throw RenderInputs.Failure(message: "could not apply template: \(error)")
        }
        if spec == nil {
            // Without a template ESO copies the ExternalSecret's own labels and annotations.
            for (k, v) in externalSecret["metadata"]?["labels"]?.objectValue ?? JSONObject() { secret.labels[k] = v.stringValue }
            for (k, v) in externalSecret["metadata"]?["annotations"]?.objectValue ?? JSONObject() {
                if k != "kubectl.kubernetes.io/last-applied-configuration" { secret.annotations[k] = v.stringValue }
            }
        }
        return YAML.serialize(RenderInputs.secretJSON(secret, externalSecret: externalSecret))
    }
}
