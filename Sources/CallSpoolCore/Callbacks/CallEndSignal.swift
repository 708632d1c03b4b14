/// "This call is over": what the callback receiver tells the dispatcher after
/// committing a `disconnect` (or a fee CDR whose disconnect never came), so the
/// dispatcher frees the call's port at once instead of waiting for the lease.
///
/// Usually sent once per call, after the store commit; a disconnect without a
/// `stateCode` frees the port with ``outcome`` nil (the job stays `in_call`
/// until its fee CDR tells the outcome) and the CDR then sends a second
/// signal for the same call. The store's port-holding jobs
/// (``AppDatabase/portHoldingJobRowIds(in:)``) stay the truth a restart
/// recomputes ports from. The receiver may signal a call the dispatcher holds
/// no port for (a job reconciled from `unknown`): releasing must be
/// idempotent. `stateCode` 7109 (ports exhausted after acceptance) is the
/// dispatcher's cue to shrink its port limit; `throttled` outcomes are
/// requeued, not completed.
public struct CallEndSignal: Sendable, Hashable {
    public var jobRowId: Int64
    public var sessionId: String
    /// nil: the call is over but its outcome waits for the fee CDR.
    public var outcome: Outcome?
    public var stateCode: Int?
    /// The application that placed the call: only its scheduler acts on it.
    public var app: String?

    public init(jobRowId: Int64, sessionId: String, outcome: Outcome?, stateCode: Int?, app: String? = nil) {
        self.jobRowId = jobRowId
        self.sessionId = sessionId
        self.outcome = outcome
        self.stateCode = stateCode
        self.app = app
    }
}
