import VoiceCallAPI

extension FileReport {
    /// Something in a file worth fixing that did not keep a job out, such as
    /// a field given under the reference's misspelling (an alias). Listed in
    /// the report's `warnings` so the writer learns the right name while the
    /// job is queued as meant.
    ///
    /// JSON: `{"index" or "line", "id", "field", "warning"}`; a warning about
    /// a campaign's `defaults` has no position or id, and its field starts
    /// with `defaults.`.
    public struct Warning: Codable, Sendable, Hashable {
        public var index: Int?
        public var line: Int?
        public var id: String?
        /// The field's path, as written (`postOne`, `playInfoList[1].collectContentTriggerReplacing`).
        public var field: String
        /// `field: what to do`, e.g. `postOne: accepted as an alias; the platform's name is posTone`.
        public var warning: String
        /// Where the job sits, as shown to people; nil for the campaign's defaults (not part of the JSON report).
        public var position: JobPosition?

        enum CodingKeys: String, CodingKey { case index, line, id, field, warning }

        /// A warning about the job at `position`.
        public init(position: JobPosition, id: String?, issue: ValidationIssue) {
            switch position {
            case .single: index = 0
            case .index(let value): index = value
            case .line(let value): line = value
            }
            self.position = position
            self.id = id.map(FileReport.quoted)
            self.field = TextRules.sanitized(issue.field)
            self.warning = TextRules.sanitized(issue.description)
        }

        /// A warning about the file as a whole (a campaign's `defaults`).
        public init(fileLevel issue: ValidationIssue) {
            self.field = TextRules.sanitized(issue.field)
            self.warning = TextRules.sanitized(issue.description)
        }

        /// Where the warning points, as shown to people: `jobs[3]`, `line 2`, or `defaults`.
        public var place: String { position?.description ?? "defaults" }
    }

    public static let maxListedWarnings = 10_000

    /// Lists `warning`, or counts it once the list is full (like rejections).
    public mutating func warn(_ warning: Warning) {
        if warnings.count < Self.maxListedWarnings {
            warnings.append(warning)
        } else {
            warningsNotListed = (warningsNotListed ?? 0) + 1
        }
    }

    /// Lists the warnings of one job read from a file.
    public mutating func warn(about entry: JobFile.Entry) {
        for issue in entry.warnings { warn(Warning(position: entry.position, id: entry.id, issue: issue)) }
    }

    /// Lists the file-level warnings of `file` (its campaign defaults').
    public mutating func warn(about file: JobFile) {
        for issue in file.defaultsWarnings { warn(Warning(fileLevel: issue)) }
    }

    public var warningCount: Int { warnings.count + (warningsNotListed ?? 0) }
}
