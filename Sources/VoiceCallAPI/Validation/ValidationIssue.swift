/// One broken rule, naming the field (a JSON path such as
/// `playInfoList[1].templateParas[0]`) and the rule in words a user can act on.
public struct ValidationIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var rule: String

    public init(field: String, rule: String) {
        self.field = field
        self.rule = rule
    }

    public var description: String { "\(field): \(rule)" }

    /// The same issue with `prefix` in front of its field path.
    public func nested(under prefix: String) -> ValidationIssue {
        ValidationIssue(field: prefix.isEmpty ? field : "\(prefix).\(field)", rule: rule)
    }
}

/// A value the platform would refuse, with every rule it breaks.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public var issues: [ValidationIssue]
    public init(_ issues: [ValidationIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "; ") }
}
