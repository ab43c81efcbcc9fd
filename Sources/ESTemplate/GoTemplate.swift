/// A parsed Go text/template (with `missingkey=error`), ready to execute.
public struct GoTemplate: Sendable {
    public let name: String
    let text: String
    let templates: TemplateSet
    let functions: FunctionMap

    /// Parses `text` as template `name` (`template.New(name).Option("missingkey=error").Funcs(...).Delims(...).Parse(text)`).
    public init(_ text: String, name: String, functions: FunctionMap = .eso,
                leftDelim: String = "{{", rightDelim: String = "}}") throws(TemplateParseError) {
        self.name = name
        self.text = text
        self.functions = functions
        self.templates = try Parser.parse(text, name: name, leftDelim: leftDelim, rightDelim: rightDelim,
                                    hasFunction: { functions.has($0) })
    }

    /// Executes the template with `data` as dot.
    public func execute(_ data: GoValue, limits: TemplateLimits = TemplateLimits()) throws(TemplateExecError) -> String {
        try Executor(set: templates, functions: functions, name: name, text: text, limits: limits).execute(data: data)
    }

    /// Names of the templates `define`/`block` introduced.
    public var definedTemplates: [String] { templates.defined.keys.sorted() }
}
