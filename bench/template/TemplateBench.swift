// Throughput of ESTemplate on typical ESO templates (compiled by bench/template/run.sh).
import ESTemplate
import Foundation

@main struct TemplateBench {
    static func measure(_ name: String, iterations: Int, _ body: () throws -> Void) rethrows {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { try body() }
        let ns = Double(DispatchTime.now().uptimeNanoseconds - start)
        print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: " %8d iterations  %9.1f µs/op  %10.0f ops/s", iterations,
                     ns / Double(iterations) / 1000, Double(iterations) / (ns / 1e9)))
    }

    static func main() throws {
        let data = ["username": "admin", "password": "s3cr3t", "host": "db.example.com",
                    "config": #"{"db":{"name":"app","hosts":["a","b"],"port":5432}}"#]
        let url = "postgresql://{{ .username }}:{{ .password }}@{{ .host }}:5432/app"
        let range = "{{- range $k, $v := . }}\n{{ $k | upper }}={{ $v | quote }}\n{{- end }}"
        let json = "{{ .config | fromJson | toYaml }}"
        let many = String(repeating: "{{ .username | b64enc | b64dec | sha256sum | trunc 8 }}\n", count: 50)
        try measure("parse+execute DATABASE_URL", iterations: 20_000) {
            _ = try TemplateEngine.render(template: url, name: "url", data: data)
        }
        try measure("range over data map", iterations: 20_000) {
            _ = try TemplateEngine.render(template: range, name: "env", data: data)
        }
        try measure("fromJson | toYaml", iterations: 20_000) {
            _ = try TemplateEngine.render(template: json, name: "cfg", data: data)
        }
        try measure("50 pipelines (b64/sha256/trunc)", iterations: 1_000) {
            _ = try TemplateEngine.render(template: many, name: "many", data: data)
        }
        let parsed = try GoTemplate(url, name: "url")
        let dot = GoValue.stringMap(data)
        try measure("execute only (pre-parsed)", iterations: 50_000) { _ = try parsed.execute(dot) }
    }
}
