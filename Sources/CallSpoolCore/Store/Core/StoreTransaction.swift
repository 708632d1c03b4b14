import Foundation
import VoiceCallAPI

/// One transaction of a store driver, as the store core sees it: row
/// operations by key or by a named selection, and nothing else.
///
/// Exists so that what happens to a job is decided once, above the drivers
/// (`StoreTransaction+*.swift` in this folder: event application, the
/// sweeper, control intents, expiry, the unknown requeue, answers), while
/// SQLite and PostgreSQL only say how a row is read, locked and written.
/// An implementation holds no rule: it never looks at a job's state to
/// choose what to write, and it writes exactly the rows it is handed.
///
/// Every method runs inside the one transaction the driver opened; rows a
/// method returns for change (`job(rowID:)`, `jobs(_:limit:)`,
/// `answeredJob(_:sessionId:)`) are locked until it ends on a store that
/// locks rows (PostgreSQL); SQLite's one writer makes that implicit.
public protocol StoreTransaction {
    // MARK: Jobs

    /// A job by row id, locked for change.
    func job(rowID: Int64) throws -> JobRecord?
    /// Writes every column of `job` (its row id picks the row).
    func write(_ job: JobRecord) throws
    /// Writes only a postponed job's `nextAttemptAt` and `updatedAt` (the
    /// scheduler's most frequent write; a driver may write the whole row).
    func writeNextAttempt(_ job: JobRecord) throws
    /// The jobs `selection` names, in row order, locked for change.
    func jobs(_ selection: JobSelection, limit: Int?) throws -> [JobRecord]
    /// How many jobs `filter` matches.
    func countJobs(_ filter: JobFilter) throws -> Int
    /// Sets `cancelRequested` on every job `filter` matches; returns how many.
    func requestCancel(_ filter: JobFilter) throws -> Int

    // MARK: Intake

    /// The highest job row id so far (0 when empty).
    func lastJobRowID() throws -> Int64
    /// How many new jobs one insert statement takes.
    var insertBatchSize: Int { get }
    /// Makes sure each named campaign has its row.
    func ensureCampaigns(_ names: [String], now: Date) throws
    /// Which of `ids` are queued already (byte for byte).
    func existingJobIDs(_ ids: [String]) throws -> Set<ExactText>
    /// Inserts the rows whose id is not queued yet (`ON CONFLICT DO
    /// NOTHING`); says, row by row, whether it was inserted or what it hit.
    func insertNewJobs(_ jobs: [NewJob]) throws -> [NewJobOutcome]
    /// The report of a file already taken in (its intake key), or nil.
    func intakeReport(key: String) throws -> FileReport?
    /// Records that every job of a file is committed, with its report.
    func saveIntakeReport(key: String, name: String, report: FileReport, now: Date) throws
    /// Wakes whatever waits for queued jobs after this commit (another
    /// instance's dispatcher); does nothing by default.
    func announceQueuedJobs() throws

    // MARK: Attempts

    /// Inserts the attempt row of `ticket`, sent at `at`.
    func insertAttempt(_ ticket: DispatchTicket, at: Date) throws
    /// Stores the platform's answer on attempt `n` of job `jobRowId`.
    func writeAnswer(_ answer: AttemptAnswer) throws
    /// The latest attempt of a job: its number and sessionId.
    func latestAttempt(jobRowId: Int64) throws -> (n: Int, sessionId: String?)?
    /// Stores `sessionId` on attempt `n` of job `jobRowId`.
    func attachSession(_ sessionId: String, jobRowId: Int64, attempt n: Int) throws
    /// The answered job of `ticket`, locked, and whether events or a CDR of
    /// `sessionId` wait for it (a driver that does not know says true).
    func answeredJob(_ ticket: DispatchTicket, sessionId: String?) throws -> (job: JobRecord, callbacksWaiting: Bool)?
    /// Announces the answers about to be recorded (a driver may read and
    /// lock their jobs in one go); does nothing by default.
    func willRecordAnswers(_ answers: [(ticket: DispatchTicket, sessionId: String?)]) throws

    // MARK: Call events and CDRs

    /// The job (and its application) that call `sessionId` is attached to:
    /// by its attempt row, else by the job row.
    func callOwner(sessionId: String) throws -> (jobRowId: Int64, app: String?)?
    /// Stores a status event, not applied yet.
    func insertEvent(_ type: CallbackEventType, _ info: CallStatusInfo, body: String, app: String?, now: Date) throws
    /// Whether a `collectInfo` of the same call with the same digits,
    /// userData and timestamp (without a timestamp: the same body) is stored.
    func hasCollectInfo(like info: CallStatusInfo, body: String) throws -> Bool
    /// The call's stored events not applied yet that `jobRowId`'s
    /// application signed (or that nobody checked), in arrival order.
    func pendingEvents(sessionId: String, jobRowId: Int64) throws -> PendingCallEvents
    /// Marks an event applied to `jobRowId`.
    func markEventApplied(_ id: Int64, jobRowId: Int64) throws
    /// Stores a fee CDR, not applied yet: its fields as columns and `raw`,
    /// the CDR as the platform sent it (audit only, never read back to
    /// apply it); false when one of that call is stored.
    func insertFeeRecord(_ record: FeeRecord, raw: String, app: String?, now: Date) throws -> Bool
    /// The call's stored fee CDR, built from its columns, when it is not
    /// applied yet and `jobRowId`'s application signed it (or nobody checked).
    func pendingFeeRecord(sessionId: String, jobRowId: Int64) throws -> FeeRecord?
    /// Marks the call's fee CDR applied to `jobRowId`.
    func markFeeRecordApplied(sessionId: String, jobRowId: Int64) throws
    /// Whether a `collectInfo` of the call with digits is stored.
    func hasCollectedDigits(sessionId: String) throws -> Bool
    /// Calls with events or a CDR not applied yet, received after `after`,
    /// one per call and signing application.
    func pendingCalls(receivedAfter after: Date) throws -> [PendingCall]
    /// Remembers `nonce`; false when it is remembered and not expired.
    func claimNonce(_ nonce: CallbackNonce) throws -> Bool
    /// Forgets the nonces that expired before `now` (epoch seconds).
    func pruneNonces(now: Int64) throws

    // MARK: Scheduling reads

    /// `in_call` jobs of `app` whose call still holds a port.
    func callsHoldingPorts(app: String) throws -> Set<Int64>
    /// Queued jobs of `app` due at `now`, verify first, then priority, then age.
    func runnableJobs(app: String, now: Date, limit: Int, verifyOnly: Bool) throws -> [JobRecord]
    /// Notify calls placed to `callee` since `since`, and the oldest of them.
    func notifyCallsToCallee(_ callee: String, since: Date) throws -> (count: Int, oldest: Date?)

    // MARK: Guard counts

    /// Verification calls placed to `callee` after `since` (requests that
    /// failed outright, with an HTTP status and no session, are not calls).
    func verifyCalls(toCallee callee: String, since: Date) throws -> Int
    /// Verification calls placed after `since` to numbers starting with `prefix`.
    func verifyCalls(toPrefix prefix: String, since: Date) throws -> Int
    /// Calls placed by application `app` after `since` (the daily cap).
    func calls(ofApplication app: String, since: Date) throws -> Int

    // MARK: Suppression list

    /// Inserts the entries whose key is not listed yet; returns the inserted ones.
    func insertSuppressions(_ entries: [SuppressionRecord]) throws -> [SuppressionRecord]
    /// Deletes these keys; returns the entries deleted.
    func deleteSuppressions(_ keys: [SuppressionKey]) throws -> [SuppressionRecord]
    /// Every entry of these numbers, in any scope.
    func suppressions(of numbers: [String]) throws -> [SuppressionRecord]
    /// Entries after `after` in key order (byte order of number, then scope).
    func suppressionPage(after: SuppressionKey?, limit: Int) throws -> [SuppressionRecord]
    func suppressionCount() throws -> Int
    func appendSuppressionAudit(_ entries: [SuppressionAuditRecord]) throws
    /// The changes to `number`'s entries, newest first.
    func suppressionAudit(number: String, limit: Int) throws -> [SuppressionAuditRecord]

    // MARK: Results outbox and webhook deliveries

    /// Deletes these outbox rows, each only if it still has the version read.
    func clearResultRows(_ done: [ClearedResult]) throws
    /// Inserts the deliveries whose (webhook, subject) is not queued yet; returns how many were inserted.
    func insertWebhookDeliveries(_ deliveries: [WebhookDelivery]) throws -> Int
    /// Pending deliveries of `webhooks` due at `now`, oldest first, locked
    /// for change (on a store of several instances, rows another instance
    /// holds are skipped, not waited for).
    func dueWebhookDeliveries(webhooks: [String], now: Date, limit: Int) throws -> [WebhookDelivery]
    /// Deliveries by row id, locked for change.
    func webhookDeliveries(ids: [Int64]) throws -> [WebhookDelivery]
    /// Deliveries `replay` names after row `afterID`, in row order, locked for change.
    func webhookDeliveries(_ replay: WebhookReplay, afterID: Int64, limit: Int) throws -> [WebhookDelivery]
    /// Pending deliveries whose try `owner` claimed, locked for change.
    func webhookDeliveries(claimedBy owner: String) throws -> [WebhookDelivery]
    /// Writes every column of each delivery (its id picks the row); a
    /// driver may write them in one statement.
    func writeWebhookDeliveries(_ deliveries: [WebhookDelivery]) throws
    /// Deliveries by webhook and state, with the oldest pending one.
    func webhookFigures() throws -> [WebhookFigures]
    /// Deletes up to `limit` delivered rows finished before `before`; returns how many.
    func deleteDeliveredWebhooks(finishedBefore before: Date, limit: Int) throws -> Int

    // MARK: Kept API answers (Idempotency-Key)

    /// The answer kept under `client` and `key`, unless it expired at or before `now`.
    func keptAnswer(client: String, key: String, now: Date) throws -> KeptAnswer?
    /// Keeps `answer` under its client and key, replacing one that expired
    /// at or before its `createdAt`; false (nothing written) when a live
    /// answer holds the key.
    func keepAnswer(_ answer: KeptAnswer) throws -> Bool
    /// Deletes up to `limit` answers expired at or before `now`, oldest first; returns how many.
    func deleteExpiredAnswers(now: Date, limit: Int) throws -> Int

    // MARK: Pauses, halts, campaigns

    func activePauses(now: Date) throws -> [PauseScope: PauseRecord]
    func pausedCampaigns() throws -> Set<String>
    func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws
    func clearPause(_ scope: PauseScope) throws
    /// Deletes the operator's global pause (the one without an end).
    func clearOperatorPause() throws
    func setHalt(_ record: HaltRecord) throws
    func clearHalt(app: String) throws
    /// Sets a campaign's paused flag; false when there is no such campaign.
    func setCampaignPaused(_ name: String, _ paused: Bool) throws -> Bool

    // MARK: Transaction

    /// Fails when this instance no longer holds the dispatcher lease (a
    /// store of one instance has none).
    func checkLease() throws
    /// Runs `body` so that what it wrote is undone alone if it throws.
    func isolated<T>(_ body: () throws -> T) throws -> T
    /// Whether the transaction can go on after `error` undid an
    /// ``isolated(_:)`` body (false: a lost connection, or a store that
    /// rolled the whole transaction back, as SQLite does on a full disk).
    func survives(_ error: any Error) -> Bool
}

extension StoreTransaction {
    public func willRecordAnswers(_ answers: [(ticket: DispatchTicket, sessionId: String?)]) throws {}
    public func checkLease() throws {}
    public func announceQueuedJobs() throws {}
}

/// Which jobs a store-core operation changes, named for the driver to
/// turn into its own query (each one an index range in both schemas).
public enum JobSelection: Sendable, Hashable {
    /// `dispatching` jobs of an application.
    case dispatching(app: String)
    /// `in_call` jobs last changed before `before` (the call lease ran out).
    case inCallSince(before: Date)
    /// `queued` jobs whose expiry is at or before `at`.
    case queuedExpired(at: Date)
    /// `unknown` jobs whose expiry is at or before `at`.
    case unknownExpired(at: Date)
    /// `unknown` notify jobs unchanged since `updatedBefore`, whose last
    /// attempt was sent at or after `sentSince`, and that no status event or
    /// CDR was matched to (by job, by sessionId or by userData).
    case unheardUnknown(updatedBefore: Date, sentSince: Date)
    /// Jobs matching an operator's filter, after row `afterRowID`.
    case page(JobFilter, afterRowID: Int64)
}

/// An operator's choice of jobs (cancel, retry): ids and/or a campaign, in some states.
public struct JobFilter: Sendable, Hashable {
    public var ids: [String]
    public var campaign: String?
    public var states: [JobState]

    public init(ids: [String], campaign: String?, states: [JobState]) {
        self.ids = ids
        self.campaign = campaign
        self.states = states
    }
}

/// The platform's answer to one request, as stored on its attempt row.
public struct AttemptAnswer: Sendable, Hashable {
    public var jobRowId: Int64
    public var n: Int
    public var httpStatus: Int?
    public var resultcode: String?
    public var resultDesc: String?
    public var resultClass: String
    public var sessionId: String?
}

/// The events of a call not applied yet, and whether a fee CDR may wait
/// too (a driver that read it along says so; otherwise true, and the core
/// looks).
public struct PendingCallEvents: Sendable {
    public var events: [PendingCallEvent]
    public var feeRecordMayWait: Bool

    public init(events: [PendingCallEvent], feeRecordMayWait: Bool) {
        self.events = events
        self.feeRecordMayWait = feeRecordMayWait
    }
}

/// The columns of a not yet applied `callEvent` row that applying it needs.
public struct PendingCallEvent: Sendable, Hashable {
    public var id: Int64
    public var eventType: String
    public var digitInfo: String?
    public var stateCode: Int?
    public var stateDesc: String?

    public init(id: Int64, eventType: String, digitInfo: String?, stateCode: Int?, stateDesc: String?) {
        self.id = id
        self.eventType = eventType
        self.digitInfo = digitInfo
        self.stateCode = stateCode
        self.stateDesc = stateDesc
    }
}

/// A call the sweeper looks at: events or a CDR wait for a job.
public struct PendingCall: Sendable, Hashable {
    public var sessionId: String
    /// The application that signed them (nil: not checked).
    public var app: String?
    public var userData: String?

    public init(sessionId: String, app: String?, userData: String?) {
        self.sessionId = sessionId
        self.app = app
        self.userData = userData
    }
}
