/// The report written beside each handled file as `NAME.report.json` (docs/job-files.md,
/// contract shape), also what `callspool validate --json` prints.
///
/// The contract keys are `file`, `accepted`, `duplicates`, `rejected` and
/// `campaign`; `warnings` (see ``Warning``) is always written too, empty when
/// there is nothing to say, so a reader can rely on it.
public struct FileReport: Codable, Sendable, Hashable {
    public struct Rejection: Codable, Sendable, Hashable {
        public var index: Int?
        public var line: Int?
        public var id: String?
        /// Every issue, joined by "; ".
        public var error: String
        /// The issues one by one (not part of the JSON report).
        public var details: [String] = []
        /// Where the job sits, as shown to people (not part of the JSON report).
        public var position: JobPosition = .single
        /// Why, as a code to group by (``FileReport/rejectedByReason``).
        public var reason: RejectionReason = .invalid

        enum CodingKeys: String, CodingKey { case index, line, id, error, reason }

        /// Reads reports stored before `reason` existed too (as `invalid`).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            index = try c.decodeIfPresent(Int.self, forKey: .index)
            line = try c.decodeIfPresent(Int.self, forKey: .line)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            error = try c.decode(String.self, forKey: .error)
            reason = try c.decodeIfPresent(RejectionReason.self, forKey: .reason) ?? .invalid
        }

        public init(position: JobPosition, id: String?, issues: [String], reason: RejectionReason = .invalid) {
            self.reason = reason
            switch position {
            case .single: index = 0
            case .index(let value): index = value
            case .line(let value): line = value
            }
            self.position = position
            // A report quotes the file: never what the validator refuses
            // (NUL would keep PostgreSQL from storing the report).
            self.id = id.map(FileReport.quoted)
            self.details = issues.map(TextRules.sanitized)
            self.error = details.joined(separator: "; ")
        }
    }

    public var file: String
    public var accepted: Int
    public var duplicates: Int
    public var rejected: [Rejection]
    public var campaign: String?
    /// Set when the whole file could not be read (it went to `rejected/`).
    public var error: String?
    /// Set when the file could not be moved out of `incoming/`: it stays there,
    /// and callspool leaves it alone until it changes.
    public var notMoved: String?
    /// Rejections beyond the ones listed (the list is capped to keep reports small).
    public var rejectedNotListed: Int?
    /// Findings that did not keep any job out, capped like ``rejected``.
    public var warnings: [Warning] = []
    /// Warnings beyond the ones listed.
    public var warningsNotListed: Int?
    /// How many jobs were kept out, by ``RejectionReason`` (listed or not):
    /// the summary a sender reads before a launch.
    public var rejectedByReason: [String: Int] = [:]

    /// A text quoted from a job file, as a report may hold it: control
    /// characters replaced, at most 256 scalars.
    static func quoted(_ text: String) -> String {
        let clean = TextRules.sanitized(text)
        guard clean.unicodeScalars.count > 256 else { return clean }
        return String(String.UnicodeScalarView(clean.unicodeScalars.prefix(256))) + "…"
    }

    public init(file: String, accepted: Int = 0, duplicates: Int = 0, rejected: [Rejection] = [], campaign: String? = nil, error: String? = nil) {
        self.file = file
        self.accepted = accepted
        self.duplicates = duplicates
        self.rejected = rejected
        self.campaign = campaign
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case file, accepted, duplicates, rejected, campaign, error, notMoved, rejectedNotListed, warnings, warningsNotListed, rejectedByReason
    }

    /// Reads reports written before `warnings` existed (kept in the store) too.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = try c.decode(String.self, forKey: .file)
        accepted = try c.decode(Int.self, forKey: .accepted)
        duplicates = try c.decode(Int.self, forKey: .duplicates)
        rejected = try c.decode([Rejection].self, forKey: .rejected)
        campaign = try c.decodeIfPresent(String.self, forKey: .campaign)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        notMoved = try c.decodeIfPresent(String.self, forKey: .notMoved)
        rejectedNotListed = try c.decodeIfPresent(Int.self, forKey: .rejectedNotListed)
        warnings = try c.decodeIfPresent([Warning].self, forKey: .warnings) ?? []
        warningsNotListed = try c.decodeIfPresent(Int.self, forKey: .warningsNotListed)
        rejectedByReason = try c.decodeIfPresent([String: Int].self, forKey: .rejectedByReason) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(accepted, forKey: .accepted)
        try c.encode(duplicates, forKey: .duplicates)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(campaign, forKey: .campaign)  // null when not a campaign, as the contract lists it
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(notMoved, forKey: .notMoved)
        try c.encodeIfPresent(rejectedNotListed, forKey: .rejectedNotListed)
        try c.encode(warnings, forKey: .warnings)
        try c.encodeIfPresent(warningsNotListed, forKey: .warningsNotListed)
        if !rejectedByReason.isEmpty { try c.encode(rejectedByReason, forKey: .rejectedByReason) }
    }

    public static let maxListedRejections = 10_000

    public mutating func reject(_ rejection: Rejection) {
        rejectedByReason[rejection.reason.rawValue, default: 0] += 1
        if rejected.count < Self.maxListedRejections {
            rejected.append(rejection)
        } else {
            rejectedNotListed = (rejectedNotListed ?? 0) + 1
        }
    }

    public var rejectedCount: Int { rejected.count + (rejectedNotListed ?? 0) }
    public var isClean: Bool { error == nil && rejectedCount == 0 }
}

/// Why a job was kept out of the queue, as a code a report groups by.
public enum RejectionReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// A field broke a rule of the job-file format or the platform.
    case invalid
    /// Its whole life falls outside its calling window.
    case window
    /// No configured application can send it.
    case app
    /// Its callee is outside `[guard] callee_prefixes`.
    case calleePrefix = "callee_prefix"
    /// Its callee is on the suppression list.
    case suppressed
}
