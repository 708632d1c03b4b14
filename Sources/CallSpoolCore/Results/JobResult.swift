import Foundation

/// The content of a results file, `<results.dir>/<job id>.json`: what other
/// systems consuming the outbox need to know about a finished job.
///
/// Every key is always present (null when unknown), so consumers can rely on
/// the shape. Never contains the verify code; the callee number is included in
/// full because the file is data for the job's owner, not a log.
public struct JobResult: Codable, Sendable, Equatable {
    public struct ErrorInfo: Codable, Sendable, Equatable {
        public var code: String
        public var description: String
    }

    /// The user's job id.
    public var id: String
    /// The job's row key (`jobRowId`), written as `jobKey` in the file: the
    /// `<jobKey>` of `userData`.
    public var jobRowId: Int64
    public var campaign: String?
    public var type: String
    public var state: String
    public var outcome: String?
    public var stateCode: Int?
    public var stateDesc: String?
    public var digits: [String]
    /// Whether the callee pressed the job's `optOut` keys (and was suppressed).
    public var optedOut: Bool
    /// Calls placed (accepted by the platform).
    public var calls: Int
    /// Minutes the platform bills for the answered calls (``BilledMinutes``),
    /// from the CDRs applied so far; the file is written again when a CDR
    /// arrives after the job finished.
    public var billedMinutes: Int
    public var attempts: [AttemptSummary]
    public var calleeNbr: String
    public var displayNbr: String?
    public var meta: JSONValue?
    public var error: ErrorInfo?
    public var createdAt: String
    public var updatedAt: String
    public var finishedAt: String?
    public var expiresAt: String

    public init(job: JobRecord, attempts: [AttemptRecord]) {
        id = job.jobId
        jobRowId = job.rowId ?? 0
        campaign = job.campaign
        type = job.type.rawValue
        state = job.state.rawValue
        outcome = job.outcome?.rawValue
        stateCode = job.stateCode
        stateDesc = job.stateDesc
        digits = job.digits
        optedOut = job.optedOut
        calls = job.calls
        billedMinutes = job.billedMinutes
        self.attempts = attempts.map(AttemptSummary.init)
        calleeNbr = job.calleeNbr
        displayNbr = job.displayNbr
        meta = job.meta
        error = job.shownError.map { ErrorInfo(code: $0.code, description: $0.description) }
        createdAt = Timestamp.format(job.createdAt)
        updatedAt = Timestamp.format(job.updatedAt)
        finishedAt = job.finishedAt.map(Timestamp.format)
        expiresAt = Timestamp.format(job.expiresAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, jobRowId = "jobKey", campaign, type, state, outcome, stateCode, stateDesc, digits, optedOut, calls, billedMinutes, attempts, calleeNbr, displayNbr
        case meta, error, createdAt, updatedAt, finishedAt, expiresAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(jobRowId, forKey: .jobRowId)
        try c.encode(campaign, forKey: .campaign)
        try c.encode(type, forKey: .type)
        try c.encode(state, forKey: .state)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(stateCode, forKey: .stateCode)
        try c.encode(stateDesc, forKey: .stateDesc)
        try c.encode(digits, forKey: .digits)
        try c.encode(optedOut, forKey: .optedOut)
        try c.encode(calls, forKey: .calls)
        try c.encode(billedMinutes, forKey: .billedMinutes)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(calleeNbr, forKey: .calleeNbr)
        try c.encode(displayNbr, forKey: .displayNbr)
        try c.encode(meta, forKey: .meta)
        try c.encode(error, forKey: .error)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(expiresAt, forKey: .expiresAt)
    }
}
