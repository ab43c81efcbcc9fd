/// Where a decoded value sits in its object (`spec.data[2].remoteRef`), kept as a chain of steps and
/// spelled out only when a message needs it: every decoded struct records its path, and building
/// those strings eagerly was a large part of decoding an object.
public struct FieldPath: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    final class Step: Sendable {
        let parent: Step?
        /// A JSON member name, or the whole path when `isLiteral`.
        let key: String
        /// The list index after `key`, or -1.
        let index: Int
        let isLiteral: Bool

        init(parent: Step?, key: String, index: Int, isLiteral: Bool) {
            self.parent = parent
            self.key = key
            self.index = index
            self.isLiteral = isLiteral
        }
    }

    let last: Step?

    /// The object itself (`""`).
    public static let root = FieldPath(last: nil)

    init(last: Step?) { self.last = last }

    /// A path given as text (e.g. by a caller building values by hand).
    public init(_ text: String) {
        last = text.isEmpty ? nil : Step(parent: nil, key: text, index: -1, isLiteral: true)
    }

    public init(stringLiteral text: String) { self.init(text) }

    /// The member `key` of the object at this path.
    public func child(_ key: String) -> FieldPath {
        FieldPath(last: Step(parent: last, key: key, index: -1, isLiteral: false))
    }

    /// Element `index` of the list in member `key`.
    public func element(_ key: String, _ index: Int) -> FieldPath {
        FieldPath(last: Step(parent: last, key: key, index: index, isLiteral: false))
    }

    public var isRoot: Bool { last == nil }

    /// With list indices: `spec.data[2].remoteRef`.
    public var description: String { spelled(withIndices: true) }

    /// As Go names a struct field in type errors: JSON names without list indices (`spec.data.remoteRef`).
    public var goDescription: String { spelled(withIndices: false) }

    private func spelled(withIndices: Bool) -> String {
        var steps: [Step] = []
        var step = last
        while let current = step {
            steps.append(current)
            step = current.parent
        }
        var text = ""
        for (n, step) in steps.reversed().enumerated() {
            if step.isLiteral {
                text += withIndices ? step.key : Self.withoutIndices(step.key)
                continue
            }
            if n > 0 { text += "." }
            text += step.key
            if withIndices && step.index >= 0 {
                text += "["
                text += String(step.index)
                text += "]"
            }
        }
        return text
    }

    private static func withoutIndices(_ text: String) -> String {
        var result = ""
        var inIndex = false
        for c in text.unicodeScalars {
            if c == "[" { inIndex = true } else if c == "]" { inIndex = false } else if !inIndex { result.unicodeScalars.append(c) }
        }
        return result
    }

    public static func == (lhs: FieldPath, rhs: FieldPath) -> Bool { lhs.description == rhs.description }
}
