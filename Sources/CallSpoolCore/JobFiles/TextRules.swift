import VoiceCallAPI

/// The rules every text of a job file obeys, whatever its field.
///
/// Exists because texts travel further than their field: into terminals
/// (an ESC sequence rewrites the operator's screen), logs, HTML reports and
/// PostgreSQL, which refuses NUL outright and indexes ids and campaign names
/// in a few kilobytes. So control characters (C0, DEL and C1) are refused in
/// every string and object key of a job, and the lengths that the stores
/// care about are counted in UTF-8 bytes, as the stores count them; a limit
/// in `Character`s lets one letter plus thousands of combining marks through.
enum TextRules {
    /// At most this many control-character issues are listed per job.
    static let maxListedIssues = 5

    /// Whether `text` holds a C0 control (U+0000–U+001F), DEL (U+007F) or a
    /// C1 control (U+0080–U+009F): ``ControlCharacters``, scanned as bytes
    /// (every string of every job passes here; C1 is `C2 80`–`C2 9F` in UTF-8).
    static func hasControl(_ text: String) -> Bool {
        var afterC2 = false
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F || (afterC2 && byte >= 0x80 && byte <= 0x9F) { return true }
            afterC2 = byte == 0xC2
        }
        return false
    }

    static let controlRule = "must not contain control characters (U+0000–U+001F, U+007F–U+009F)"

    /// One issue per string (or object key) of `value` holding a control
    /// character, named by its path (`meta.note`, `templateParas[1]`).
    static func controlIssues(in value: JSONValue, path: String, into issues: inout [ValidationIssue], listed: inout Int) {
        guard listed < maxListedIssues else { return }
        switch value {
        case .string(let text):
            if hasControl(text) {
                issues.append(.init(field: path.isEmpty ? "(value)" : path, rule: controlRule))
                listed += 1
            }
        case .array(let items):
            for (index, item) in items.enumerated() { controlIssues(in: item, path: "\(path)[\(index)]", into: &issues, listed: &listed) }
        case .object(let fields):
            for key in fields.keys.sorted() {
                guard let item = fields[key] else { continue }
                let child = path.isEmpty ? key : "\(path).\(key)"
                if hasControl(key) {
                    if listed < maxListedIssues { issues.append(.init(field: sanitized(child), rule: "(a key) " + controlRule)) }
                    listed += 1
                    continue
                }
                controlIssues(in: item, path: child, into: &issues, listed: &listed)
            }
        case .null, .bool, .number:
            break
        }
    }

    /// `text` with every control character replaced by U+FFFD, for texts
    /// that quote what a file held (a report's id, an issue's field): a
    /// report must never carry what the validator refuses.
    static func sanitized(_ text: String) -> String {
        guard hasControl(text) else { return text }
        return ControlCharacters.replacing(in: text) { _ in "\u{FFFD}" }
    }
}
