/// ESO's template rendering for one key (`runtime/template/v2`): the template text is parsed with the
/// key as its name and executed against the fetched data as `map[string]string`.
public enum TemplateEngine {
    /// Renders `template` (named `name`) with `data` as dot.
    /// Errors: `unable to parse template at key <name>: <err>` / `unable to execute template at key <name>: <err>`.
    public static func render(template: String, name: String, data: [String: String],
                              leftDelimiter: String = "{{", rightDelimiter: String = "}}",
                              limits: TemplateLimits = TemplateLimits()) throws(TemplateRenderError) -> String {
        let parsed: GoTemplate
        do {
            parsed = try GoTemplate(template, name: name, functions: .eso, leftDelim: leftDelimiter, rightDelim: rightDelimiter)
        } catch {
            throw TemplateRenderError(kind: .parse, key: name, underlying: error.description)
        }
        do {
            return try parsed.execute(.stringMap(data), limits: limits)
        } catch {
            throw TemplateRenderError(kind: .execute, key: name, underlying: error.description)
        }
    }

    /// Same, with the data as bytes (converted to strings the way Go's `string([]byte)` does).
    public static func render(template: String, name: String, data: [String: [UInt8]],
                              leftDelimiter: String = "{{", rightDelimiter: String = "}}",
                              limits: TemplateLimits = TemplateLimits()) throws(TemplateRenderError) -> String {
        try render(template: template, name: name, data: data.mapValues(RawBytes.string(from:)),
                   leftDelimiter: leftDelimiter, rightDelimiter: rightDelimiter, limits: limits)
    }

    /// Renders to the exact bytes Go would write (binary values produced by `b64dec` etc. survive).
    public static func renderBytes(template: String, name: String, data: [String: [UInt8]],
                                   leftDelimiter: String = "{{", rightDelimiter: String = "}}",
                                   limits: TemplateLimits = TemplateLimits()) throws(TemplateRenderError) -> [UInt8] {
        RawBytes.bytes(of: try render(template: template, name: name, data: data, leftDelimiter: leftDelimiter,
                                      rightDelimiter: rightDelimiter, limits: limits))
    }
}

/// A template failure with ESO's wrapping.
public struct TemplateRenderError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case parse, execute }
    public var kind: Kind
    public var key: String
    /// Go's error text (`template: key:1:3: ...`).
    public var underlying: String

    public var description: String {
        switch kind {
        case .parse: return "unable to parse template at key \(key): \(underlying)"
        case .execute: return "unable to execute template at key \(key): \(underlying)"
        }
    }
}
