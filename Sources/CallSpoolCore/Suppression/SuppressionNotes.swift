import Foundation

/// How reports and job errors speak of a suppressed callee: the scope, since
/// when, the source and the reason — never the number itself.
enum SuppressionNotes {
    static func note(_ entry: SuppressionRecord) -> String {
        var note = "is on the suppression list for \(entry.scopeDescription) since \(Timestamp.format(entry.createdAt)) (\(entry.source.rawValue)"
        if !entry.reason.isEmpty { note += ": \(TextRules.sanitized(String(entry.reason.prefix(200))))" }
        return note + ")"
    }
}
