import VoiceCallAPI

/// A misspelling from the platform reference's tables that job files accept
/// in place of the platform's field name.
///
/// The reference spells two fields in a way the platform does not read
/// (`postOne`, `collectContentTriggerReplacing`); people copy them from it.
/// Refusing such a job would be unhelpful and sending the misspelling would
/// lose the value, so the job is read as if the right name had been used and
/// its report carries a warning naming the right field.
struct FieldAlias: Sendable, Hashable {
    /// The spelling the platform reads (Huawei's SDK and samples).
    var name: String
    /// The reference's spelling.
    var alias: String

    static let posTone = FieldAlias(name: "posTone", alias: "postOne")
    static let collectContentTriggerReplaying = FieldAlias(name: "collectContentTriggerReplaying", alias: "collectContentTriggerReplacing")

    /// The warning for a value given under the alias.
    var warning: ValidationIssue {
        ValidationIssue(field: alias, rule: "accepted as an alias; the platform's name is \(name)")
    }

    /// The error for an object that gives both spellings.
    var conflict: ValidationIssue {
        ValidationIssue(field: alias, rule: "is an alias of \(name) and both are given; keep only \(name)")
    }
}
