import Foundation
import VoiceCallAPI

/// The durable queue as the rest of callspool sees it: intent-named
/// operations, each one transaction (or, for ``dispatchTransaction(_:)``,
/// one transaction for a whole scheduling pass). Intake, the scheduler, the
/// callback receiver, the results outbox, control intents and the CLI use
/// only this; ``AppDatabase`` (SQLite, through GRDB) implements it, and a
/// second backend is added by implementing it and passing the same
/// conformance suite (`StoreConformanceTests`).
///
/// Guarantees every implementation keeps: a call returns only after its
/// transaction is durable; job ids are idempotency keys; a job leaves
/// `queued` for `dispatching` only with its attempt row, in one commit; an
/// event or CDR is applied to its job at most once; a push is stored with
/// its nonce or not at all.
public protocol CallStore: Sendable {
    // MARK: Intake

    /// Queues `specs` from one spool file (duplicates counted, not queued);
    /// with `completing`, also records the file's report in the same commit.
    func insertJobs(
        _ specs: [JobSpec], intakeKey: String, sourceFile: String, policy: IntakePolicy, now: Date, resumedUpTo: Int64,
        completing report: FileReport?) throws -> IntakeBatchResult
    /// Queues the jobs of several small files in one transaction, each file
    /// on its own (a file that fails fails alone) with its report.
    func commitFiles(_ files: [IntakeFileJobs], policy: IntakePolicy, now: Date) throws -> [Result<IntakeFileJobs.Commit, any Error>]
    func completeIntake(key: String, name: String, report: FileReport, now: Date) throws
    /// The report of a file whose jobs were committed (intake resumed after a crash).
    func completedIntake(key: String) throws -> FileReport?
    func lastJobRowID() throws -> Int64

    // MARK: Dispatch

    /// One scheduling pass or batch of answers, in one transaction.
    func dispatchTransaction<T>(_ body: (any DispatchTransaction) throws -> T) throws -> T
    /// `dispatching` jobs of `app` left by a previous run become `unknown` (never re-sent).
    func recoverInterruptedDispatches(app: String, now: Date) throws -> Int
    func portHoldingJobRowIds(app: String) throws -> Set<Int64>
    func verifyArrivals(app: String, since date: Date, limit: Int) throws -> [(Int64, Date)]
    func expireQueuedJobs(now: Date, limit: Int) throws -> [Int64]
    func expireCallLeases(now: Date, lease: Duration) throws -> [Int64]
    func expireUnknownJobs(now: Date, limit: Int) throws -> [Int64]
    func requeueUnheardUnknownJobs(now: Date, after: Duration, receiverUpSince: Date, limit: Int) throws -> [String]

    // MARK: Callbacks

    /// Stores pushes in one transaction, each on its own (a failed one fails alone).
    func recordCallbacks(_ pushes: [CallbackPush]) async -> [Result<CallbackCommit, any Error>]
    func reconcilePendingEvents(now: Date, horizon: TimeInterval) throws -> CallbackCommit
    func isCallbackNonceLive(_ nonce: String, now: Int64) async throws -> Bool
    func latestCallbackNonceExpiry() async throws -> Int64?
    func callbackNonceCount() throws -> Int

    // MARK: Results outbox

    /// Queued results files this instance writes, oldest first: every one
    /// on a store of one instance; on a shared store, those of the jobs this
    /// instance took in, and those of an instance that is gone (claimed first).
    func pendingResults(limit: Int) throws -> [PendingResult]
    /// Removes written files from the queue, each only if not queued again since it was read.
    func clearResults(_ done: [ClearedResult]) throws
    /// The same, queueing the webhook events of the finished jobs (and of
    /// campaigns they finished) in the same commit; returns how many were queued.
    func clearResults(_ done: [ClearedResult], queueing deliveries: [WebhookDelivery], campaigns: Set<String>, events: WebhookEvents, now: Date) throws -> Int
    /// Empties the queue (no `[results] dir`): on a shared store, only this instance's own rows.
    func discardPendingResults() throws
    func pendingResultCount() throws -> Int
    /// Calls `onCommit` after every commit that queued a results file, for as
    /// long as the caller keeps the returned token.
    func observeQueuedResults(_ onCommit: @escaping @Sendable () -> Void) -> any Sendable

    // MARK: Webhook deliveries

    /// Takes due deliveries of `webhooks` for one try each, for `owner` (see ``StoreDriver/claimWebhookDeliveries(webhooks:owner:now:lease:limit:)``).
    func claimWebhookDeliveries(webhooks: [String], owner: String, now: Date, lease: Duration, limit: Int) throws -> [WebhookDelivery]
    /// Makes `owner`'s unrecorded tries due now (at its start); returns how many.
    func releaseWebhookClaims(owner: String, now: Date) throws -> Int
    /// Records the outcome of claimed tries; returns how many were still current.
    func recordWebhookTries(_ tries: [WebhookTry], now: Date) throws -> Int
    /// Queues given-up deliveries (or one job's) again; returns how many.
    func replayWebhooks(_ replay: WebhookReplay, now: Date, maxAge: (String) -> Duration) throws -> Int
    func webhookFigures() throws -> [WebhookFigures]
    /// Deletes delivered rows finished before `before`; returns how many.
    func pruneDeliveredWebhooks(finishedBefore before: Date) throws -> Int

    // MARK: API requests with an Idempotency-Key

    /// Runs `work` at most once per client and key within
    /// ``KeptAnswer/lifetime``, in one commit with its answer (see
    /// ``StoreDriver/answerOnce(_:now:_:)``).
    func answerOnce(_ request: KeyedRequest, now: Date, _ work: (any StoreTransaction) throws -> (status: Int, body: String)) throws -> KeyedAnswer

    // MARK: Pauses, halts, intents

    func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws
    func clearPause(_ scope: PauseScope) throws
    func activePauses(now: Date) throws -> [PauseScope: PauseRecord]
    func deleteEndedPauses(now: Date) throws
    func pauses() throws -> [PauseRecord]
    func halts() throws -> [HaltRecord]
    func halt(app: String) throws -> HaltRecord?
    /// Records an operator's request (cancel, retry, pause, resume); the daemon applies it.
    func request(_ intent: ControlIntent, now: Date) throws -> Int64
    func pendingIntents() throws -> [IntentRecord]
    func intent(id: Int64) throws -> IntentRecord?
    func applyPendingIntents(now: Date, retryTTL: (JobType) -> Duration) throws -> [String]

    // MARK: Applications, heartbeat, storage

    func assignApplications(_ resolve: [JobType: String]) throws -> Int
    func jobsWithoutConfiguredApplication(_ configured: [String]) throws -> [String: Int]
    func callsInProgressByApplication() throws -> [String: Int]
    func appStatuses() throws -> [AppStatusRecord]
    func appStatus(app: String) throws -> AppStatusRecord?
    func beat(_ record: HeartbeatRecord, apps: [AppStatusRecord]) throws
    func heartbeat() throws -> HeartbeatRecord?
    /// Succeeds only when the store can take writes.
    func probeWrite(now: Date) throws
    /// Gives the write-ahead log's space back; false when readers kept it busy.
    func checkpointTruncatingWAL() throws -> Bool

    // MARK: Suppression list

    /// Adds entries not listed yet (audited), in bounded transactions; returns how many were new.
    func suppress(_ entries: [SuppressionRecord]) throws -> Int
    /// Removes entries (audited with `reason` and `actor`); returns how many were listed.
    func unsuppress(_ keys: [SuppressionKey], reason: String, source: SuppressionSource, actor: String, now: Date) throws -> Int
    func suppressions(of numbers: [String]) throws -> [SuppressionRecord]
    func suppressionPage(after: SuppressionKey?, limit: Int) throws -> [SuppressionRecord]
    func suppressionCount() throws -> Int
    /// Changes to `number`'s entries, newest first.
    func suppressionAudit(number: String, limit: Int) throws -> [SuppressionAuditRecord]

    // MARK: Reading (CLI, reports, metrics)

    func stateCounts() throws -> [JobState: Int]
    func jobs(state: JobState?, campaign: String?, limit: Int) throws -> [JobRecord]
    /// Jobs after row `afterRowID` in row order, optionally of one state
    /// and/or campaign (keyset pages: a job submitted meanwhile comes on a
    /// later page, none twice).
    func jobsPage(state: JobState?, campaign: String?, afterRowID: Int64, limit: Int) throws -> [JobRecord]
    func jobDetail(id: String) throws -> JobDetail?
    func campaignSummaries() throws -> [CampaignSummary]
    /// One campaign's entry of ``campaignSummaries()``, reading only its
    /// jobs; nil when there is no such campaign.
    func campaignSummary(_ campaign: String) throws -> CampaignSummary?
    func campaignExists(_ campaign: String) throws -> Bool
    func campaignJobsPage(campaign: String, afterRowID: Int64, limit: Int) throws -> [JobRecord]
    func reportAttempts(campaign: String) throws -> [ReportAttempt]
    func reportErrors(campaign: String, limit: Int) throws -> [ReportError]
    func recentErrors(limit: Int) throws -> [RecentError]
    func oldestDueQueued(now: Date) throws -> [JobType: Date]
    func runFigures() throws -> RunFigures
}


/// The defaults callers rely on, for any store.
extension CallStore {
    public func insertJobs(_ specs: [JobSpec], intakeKey: String, sourceFile: String, policy: IntakePolicy, now: Date) throws -> IntakeBatchResult {
        try insertJobs(specs, intakeKey: intakeKey, sourceFile: sourceFile, policy: policy, now: now, resumedUpTo: 0, completing: nil)
    }

    public func verifyArrivals(app: String, since date: Date) throws -> [(Int64, Date)] { try verifyArrivals(app: app, since: date, limit: 100_000) }
    public func expireQueuedJobs(now: Date) throws -> [Int64] { try expireQueuedJobs(now: now, limit: 10_000) }
    public func expireUnknownJobs(now: Date) throws -> [Int64] { try expireUnknownJobs(now: now, limit: 10_000) }

    public func requeueUnheardUnknownJobs(now: Date, after: Duration, receiverUpSince: Date) throws -> [String] {
        try requeueUnheardUnknownJobs(now: now, after: after, receiverUpSince: receiverUpSince, limit: 1_000)
    }

    public func reconcilePendingEvents(now: Date) throws -> CallbackCommit { try reconcilePendingEvents(now: now, horizon: 86_400) }
    public func pendingResults() throws -> [PendingResult] { try pendingResults(limit: 200) }
    public func beat(_ record: HeartbeatRecord) throws { try beat(record, apps: []) }
    public func jobs(state: JobState? = nil, campaign: String? = nil) throws -> [JobRecord] { try jobs(state: state, campaign: campaign, limit: 100) }
    public func recentErrors() throws -> [RecentError] { try recentErrors(limit: 5) }
}

/// The threads blocking store calls run on when the caller is async: the
/// async runtime has one thread per core (two here), and a commit that
/// waits for the disk (`synchronous = FULL`, or a full disk) must not hold
/// one of them while HTTP handlers and timers wait.
package enum StoreThreads {
    static let queue = DispatchQueue(label: "callspool.store-calls", qos: .utility, attributes: .concurrent)

    /// Runs `body` (blocking store calls) there and awaits its result.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}

extension CallStore {
    /// Runs `body` (synchronous store calls) off the async runtime's threads.
    public func offPool<T: Sendable>(_ body: @escaping @Sendable (any CallStore) throws -> T) async throws -> T {
        try await StoreThreads.run { try body(self) }
    }
}
