import Foundation

/// The row of a job about to be queued, as the store core computes it from
/// a ``JobSpec`` (its expiry, first try, class and application) for every
/// driver: the driver binds these values and nothing else decides.
public struct NewJob: Sendable {
    public var jobId: String
    public var type: JobType
    /// 0 for verify jobs (dispatched first), 1 for the rest.
    public var classRank: Int
    public var campaign: String?
    public var priority: Int
    public var calleeNbr: String
    public var displayNbr: String?
    /// The payload's stored text (``JobPayload/storedText``).
    public var payload: String
    /// The job file's `meta` object as compact JSON text.
    public var meta: String?
    /// JSON text of the calling window and redial policy (``JobSpecTexts``).
    public var window: String?
    public var redial: String?
    public var notBefore: Date?
    public var expiresAt: Date
    public var nextAttemptAt: Date
    public var sourceFile: String
    public var intakeKey: String
    public var createdAt: Date
    /// nil when no configured application takes the job type (it waits for one).
    public var app: String?
    /// The keys that opt the callee out, and the suppression scope a press
    /// writes (`""`: every campaign; else the job's campaign).
    public var optOutDigits: String? = nil
    public var optOutScope: String? = nil
}

/// What inserting one new job's row did, in the order of the rows handed
/// to ``StoreTransaction/insertNewJobs(_:)``.
public enum NewJobOutcome: Sendable, Hashable {
    /// The row was inserted (at most one row per distinct id is).
    case inserted
    /// The id was queued already: that row's id and intake key.
    case existing(rowID: Int64, intakeKey: String?)
    /// Not inserted, and no row with the id was found.
    case skipped
}
