import Foundation

/// A row of `job`: one call to make, its state and what became of it.
///
/// A plain `Codable` record read and written by GRDB's `Codable` support:
/// each stored property is the column of the same name (``rowId`` excepted:
/// its column is `id`), so adding a column takes a migration and a property.
/// Dates are stored as epoch seconds, enums as their raw strings, booleans as
/// 0/1, and the JSON-valued columns (`meta`, `window`, `redial`, `digits`)
/// as JSON text of their Swift types (the first three without a Foundation
/// coder per row: see `JSONColumns.swift`). `payload` is a ``StoredJobPayload``:
/// a payload that cannot be decoded fails its own job when dispatch reaches
/// it, and never makes a query that reads the row throw.
///
/// ``rowId`` (the row's primary key) is the job's short key: it goes into
/// `userData` (`cs1.<rowId>.<attempt>`) and names its results file (elsewhere
/// called `jobRowId`). ``jobId`` is the user's idempotency key.
public struct JobRecord: Codable, Sendable, Hashable {
    /// The row key; nil until inserted. Column `id`.
    public var rowId: Int64?
    public var jobId: String
    public var type: JobType
    public var classRank: Int
    public var campaign: String?
    public var priority: Int
    public var state: JobState
    public var outcome: Outcome?
    public var stateCode: Int?
    public var stateDesc: String?
    public var calleeNbr: String
    public var displayNbr: String?
    /// What to play or say; a verify job's code is blanked once it is terminal.
    public var payload: StoredJobPayload
    /// The job file's free-form `meta` object, returned in its result.
    public var meta: JSONValue?
    /// The job's own calling window; nil: the configured default (notify) or none (verify).
    public var window: CallingWindow?
    public var redial: RedialPolicy?
    public var notBefore: Date?
    public var expiresAt: Date
    public var nextAttemptAt: Date
    public var attempts: Int
    public var calls: Int
    /// Collected digit strings, in arrival order.
    public var digits: [String]
    public var errorCode: String?
    public var errorDesc: String?
    public var sessionId: String?
    public var cancelRequested: Bool
    public var sourceFile: String?
    public var intakeKey: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    /// The application it goes out with (`[apps.NAME]`; `default` without
    /// `[apps]`); nil only for rows stored before applications existed,
    /// until the daemon assigns one at start.
    public var app: String?
    /// `optOut.digits`: the keys that, pressed during the call, suppress the callee.
    public var optOutDigits: String? = nil
    /// The suppression scope a press writes: `""` (every campaign) or the job's campaign.
    public var optOutScope: String? = nil

    /// Whether the callee pressed the job's opt-out keys.
    public var optedOut: Bool { optOutDigits.map(digits.contains) ?? false }
    /// Minutes the platform bills for the job's answered calls, summed over
    /// its calls (redials) from their fee CDRs, each CDR once
    /// (``BilledMinutes``); 0 until a CDR of an answered call is applied.
    public var billedMinutes: Int

    /// Every property, in table order; the optional ones default to nil (a
    /// new, queued job leaves most of them so).
    public init(
        rowId: Int64? = nil, jobId: String, type: JobType, classRank: Int, campaign: String? = nil, priority: Int = 0,
        state: JobState = .queued, outcome: Outcome? = nil, stateCode: Int? = nil, stateDesc: String? = nil, calleeNbr: String,
        displayNbr: String? = nil, payload: StoredJobPayload, meta: JSONValue? = nil, window: CallingWindow? = nil,
        redial: RedialPolicy? = nil, notBefore: Date? = nil, expiresAt: Date, nextAttemptAt: Date, attempts: Int = 0, calls: Int = 0,
        digits: [String] = [], errorCode: String? = nil, errorDesc: String? = nil, sessionId: String? = nil, cancelRequested: Bool = false,
        sourceFile: String? = nil, intakeKey: String? = nil, createdAt: Date, updatedAt: Date, finishedAt: Date? = nil, app: String? = nil,
        billedMinutes: Int = 0
    ) {
        self.rowId = rowId
        self.jobId = jobId
        self.type = type
        self.classRank = classRank
        self.campaign = campaign
        self.priority = priority
        self.state = state
        self.outcome = outcome
        self.stateCode = stateCode
        self.stateDesc = stateDesc
        self.calleeNbr = calleeNbr
        self.displayNbr = displayNbr
        self.payload = payload
        self.meta = meta
        self.window = window
        self.redial = redial
        self.notBefore = notBefore
        self.expiresAt = expiresAt
        self.nextAttemptAt = nextAttemptAt
        self.attempts = attempts
        self.calls = calls
        self.digits = digits
        self.errorCode = errorCode
        self.errorDesc = errorDesc
        self.sessionId = sessionId
        self.cancelRequested = cancelRequested
        self.sourceFile = sourceFile
        self.intakeKey = intakeKey
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
        self.app = app
        self.billedMinutes = billedMinutes
    }

}
