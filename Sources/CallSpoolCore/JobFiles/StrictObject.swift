import VoiceCallAPI

/// Reads one JSON object field by field, collecting a ``ValidationIssue`` for
/// every unknown key and every value of the wrong type instead of stopping at
/// the first, so a job's report lists all its mistakes at once.
struct StrictObject {
    let fields: [String: JSONValue]
    var issues: [ValidationIssue] = []
    /// Findings that do not keep the job out (an alias was used).
    var warnings: [ValidationIssue] = []

    struct NotAnObject: Error {}

    init(_ value: JSONValue) throws(NotAnObject) {
        guard let fields = value.objectValue else { throw NotAnObject() }
        self.fields = fields
    }

    var keys: Dictionary<String, JSONValue>.Keys { fields.keys }

    func has(_ name: String) -> Bool {
        if let value = fields[name], value != .null { return true }
        return false
    }

    /// The value of `name` converted by `convert`; an issue when present but of the wrong type.
    private mutating func read<T>(_ name: String, _ expected: String, _ convert: (JSONValue) -> T?) -> T? {
        guard let value = fields[name], value != .null else { return nil }
        guard let converted = convert(value) else {
            issues.append(.init(field: name, rule: "must be \(expected)"))
            return nil
        }
        return converted
    }

    mutating func string(_ name: String, _ expected: String) -> String? { read(name, expected) { $0.stringValue } }
    mutating func int(_ name: String, _ expected: String) -> Int? { read(name, expected) { $0.intValue } }
    mutating func bool(_ name: String, _ expected: String) -> Bool? { read(name, expected) { $0.boolValue } }
    mutating func object(_ name: String, _ expected: String) -> [String: JSONValue]? { read(name, expected) { $0.objectValue } }
    mutating func any(_ name: String) -> JSONValue? { read(name, "") { $0 } }

    mutating func strings(_ name: String, _ expected: String) -> [String]? {
        read(name, expected) { value in
            guard let array = value.arrayValue else { return nil }
            var result: [String] = []
            result.reserveCapacity(array.count)
            for element in array {
                guard let text = element.stringValue else { return nil }
                result.append(text)
            }
            return result
        }
    }

    /// A nested strict object: its issues are prefixed with `name`.
    mutating func nested<T: JSONObjectReadable>(_ name: String, _ expected: String, as type: T.Type = T.self) -> T? {
        guard let value = read(name, expected, { $0.objectValue == nil ? nil : $0 }) else { return nil }
        guard let element = try? T(json: value) else { return nil }
        issues += element.issues.map { $0.nested(under: name) }
        warnings += element.warnings.map { $0.nested(under: name) }
        return element
    }

    mutating func nestedList<T: JSONObjectReadable>(_ name: String, _ expected: String, as type: T.Type = T.self) -> [T]? {
        guard let array = read(name, expected, { $0.arrayValue }) else { return nil }
        var result: [T] = []
        for (index, value) in array.enumerated() {
            guard let element = try? T(json: value) else {
                issues.append(.init(field: "\(name)[\(index)]", rule: "must be a JSON object"))
                continue
            }
            issues += element.issues.map { $0.nested(under: "\(name)[\(index)]") }
            warnings += element.warnings.map { $0.nested(under: "\(name)[\(index)]") }
            result.append(element)
        }
        return result
    }

    /// Adds an issue for every key that is not one of `known`.
    mutating func rejectUnknownKeys(known: Set<String>, context: String) {
        for key in fields.keys where !known.contains(key) {
            var rule = "unknown field in \(context)"
            if let guess = Spelling.closest(to: key, among: known) { rule += " (did you mean '\(guess)'?)" }
            issues.append(.init(field: key, rule: rule))
        }
        issues.sort { $0.field < $1.field }
    }
}

/// A value read from a JSON object that carries the issues found reading it.
protocol JSONObjectReadable {
    init(json: JSONValue) throws
    var issues: [ValidationIssue] { get }
    /// Findings worth telling the writer that do not keep the job out.
    var warnings: [ValidationIssue] { get }
}

extension JSONObjectReadable {
    var warnings: [ValidationIssue] { [] }
}

package enum Spelling {
    /// The candidate within edit distance 2 of `word`, if any.
    package static func closest(to word: String, among candidates: Set<String>) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates.sorted() {
            let distance = editDistance(Array(lowered), Array(candidate.lowercased()))
            if distance <= 2, distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
