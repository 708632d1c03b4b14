/// The minutes one call's fee CDR added to its job, reported after commit so
/// the daemon counts `callspool_billed_minutes_total{app,type}` once per
/// applied CDR (a re-pushed CDR is never applied again, so never counted).
public struct BilledCall: Sendable, Hashable {
    public var jobRowId: Int64
    public var sessionId: String
    /// The job's application (nil for rows older than applications).
    public var app: String?
    public var type: JobType
    /// 0 for an unanswered call.
    public var minutes: Int

    public init(jobRowId: Int64, sessionId: String, app: String?, type: JobType, minutes: Int) {
        self.jobRowId = jobRowId
        self.sessionId = sessionId
        self.app = app
        self.type = type
        self.minutes = minutes
    }
}
