import VoiceCallAPI

/// Reads one JSON object field by field, collecting a ``ValidationIssue`` for
/// every unknown key and every value of the wrong type instead of stopping at
/// the first, so a job's report lists all its mistakes at once.
struct StrictObject {
    let container: KeyedDecodingContainer<AnyCodingKey>
    var issues: [ValidationIssue] = []
    private var known: Set<String> = []

    init(_ decoder: any Decoder, what: String) throws {
        do {
            container = try decoder.container(keyedBy: AnyCodingKey.self)
        } catch {
            throw DecodingError.typeMismatch(
                [String: String].self, .init(codingPath: decoder.codingPath, debugDescription: "\(what) must be a JSON object"))
        }
    }

    var keys: [String] { container.allKeys.map(\.stringValue) }

    func has(_ name: String) -> Bool {
        let key = AnyCodingKey(name)
        guard container.contains(key) else { return false }
        return (try? container.decodeNil(forKey: key)) == false
    }

    mutating func value<T: Decodable>(_ name: String, _ expected: String, as type: T.Type = T.self) -> T? {
        known.insert(name)
        let key = AnyCodingKey(name)
        guard container.contains(key) else { return nil }
        if (try? container.decodeNil(forKey: key)) == true { return nil }
        do {
            return try container.decode(T.self, forKey: key)
        } catch {
            issues.append(.init(field: name, rule: "must be \(expected)"))
            return nil
        }
    }

    /// A nested strict object (or array of them): its issues are prefixed with `name`.
    mutating func nested<T: IssueCarrying>(_ name: String, _ expected: String, as type: T.Type = T.self) -> T? {
        guard let value: T = value(name, expected) else { return nil }
        issues += value.issues.map { $0.nested(under: name) }
        return value
    }

    mutating func nestedList<T: IssueCarrying>(_ name: String, _ expected: String, as type: T.Type = T.self) -> [T]? {
        known.insert(name)
        let key = AnyCodingKey(name)
        guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else { return nil }
        guard var list = try? container.nestedUnkeyedContainer(forKey: key) else {
            issues.append(.init(field: name, rule: "must be \(expected)"))
            return nil
        }
        var result: [T] = []
        var index = 0
        while !list.isAtEnd {
            do {
                let element = try list.decode(T.self)
                issues += element.issues.map { $0.nested(under: "\(name)[\(index)]") }
                result.append(element)
            } catch {
                issues.append(.init(field: "\(name)[\(index)]", rule: "must be a JSON object"))
                _ = try? list.decode(JSONValue.self)
            }
            index += 1
        }
        return result
    }

    /// Adds an issue for every key not read through this object.
    mutating func rejectUnknownKeys(allowed extra: Set<String> = [], context: String) {
        for key in container.allKeys.map(\.stringValue) where !known.contains(key) && !extra.contains(key) {
            let candidates = known.union(extra)
            var rule = "unknown field in \(context)"
            if let guess = Spelling.closest(to: key, among: candidates) { rule += " (did you mean '\(guess)'?)" }
            issues.append(.init(field: key, rule: rule))
        }
    }
}

/// A decoded value that carries the issues found while decoding it.
protocol IssueCarrying: Decodable {
    var issues: [ValidationIssue] { get }
}

enum Spelling {
    /// The candidate within edit distance 2 of `word`, if any.
    static func closest(to word: String, among candidates: Set<String>) -> String? {
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
