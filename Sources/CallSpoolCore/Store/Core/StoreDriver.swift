import Foundation

/// A store backend as the store core sees it: transactions of row
/// operations (``StoreTransaction``), the intent rows, and which of its
/// errors mean the store itself failed.
///
/// The core builds the operations that span several transactions (control
/// intents, paged cancel and retry) on this, once for every backend; the
/// driver only opens transactions and says how its rows are stored.
public protocol StoreDriver: Sendable {
    associatedtype Transaction: StoreTransaction

    /// Runs `body` in one write transaction (committed when it returns).
    func writing<T>(_ body: (Transaction) throws -> T) throws -> T
    /// Runs `body` in one read-only transaction (the read commands open the
    /// store read-only: only row reads may run in it).
    func reading<T>(_ body: (Transaction) throws -> T) throws -> T
    /// Intents not applied yet, oldest first.
    func pendingIntents() throws -> [IntentRecord]
    /// Records what applying intent `id` did, in `transaction`.
    func markIntentApplied(_ id: Int64, result: String, now: Date, in transaction: Transaction) throws
    /// Whether `error` means the store failed (a lost connection, a lost
    /// lease), not that one operation's data was wrong: such an error ends
    /// the work at hand instead of being recorded as its result.
    func isStoreFailure(_ error: any Error) -> Bool
}

extension StoreDriver {
    /// Rows changed per transaction by cancel and retry.
    public static var controlPageSize: Int { 500 }

    /// Applies every pending intent, each in its own transactions, and
    /// records what it did. Returns the summaries. An intent that cannot be
    /// applied is recorded as "not applied: …"; a store failure stops here
    /// and leaves the intent pending (applying it again finishes the work:
    /// every intent is idempotent).
    public func applyPendingIntents(now: Date, retryTTL: (JobType) -> Duration) throws -> [String] {
        var summaries: [String] = []
        for record in try pendingIntents() {
            guard let id = record.id else { continue }
            let summary: String
            do {
                summary = try apply(try ControlIntent.decode(record.argument), now: now, retryTTL: retryTTL)
            } catch where isStoreFailure(error) {
                throw error
            } catch {
                summary = "not applied: \(error)"
            }
            try writing { try markIntentApplied(id, result: summary, now: now, in: $0) }
            summaries.append(summary)
        }
        return summaries
    }

    /// Applies one intent. Cancel and retry walk the matching jobs in pages
    /// of ``controlPageSize``, each page its own transaction, so a campaign
    /// of millions of jobs is changed in bounded memory without holding the
    /// store's write lock for long. A crash in the middle leaves the intent
    /// unapplied; applying it again finishes the work (both are idempotent).
    func apply(_ intent: ControlIntent, now: Date, retryTTL: (JobType) -> Duration) throws -> String {
        switch intent {
        case .cancel(let ids, let campaign):
            return try cancel(ids: ids, campaign: campaign, now: now)
        case .retry(let ids, let state, let campaign):
            return try retry(ids: ids, state: state, campaign: campaign, now: now, retryTTL: retryTTL)
        case .pause(let campaign):
            return try writing { rows in
                if let campaign {
                    return try rows.setCampaignPaused(campaign, true) ? "paused campaign \(campaign)" : "no campaign \(campaign)"
                }
                try rows.setPause(.global, reason: "paused by operator", code: nil, until: nil, now: now)
                return "paused all dispatch"
            }
        case .resume(let campaign):
            return try writing { rows in
                if let campaign {
                    return try rows.setCampaignPaused(campaign, false) ? "resumed campaign \(campaign)" : "no campaign \(campaign)"
                }
                try rows.clearOperatorPause()
                return "resumed dispatch"
            }
        }
    }

    /// Cancels queued jobs, flags those in progress (a call is not hung up;
    /// it just will not be redialed), and counts those already finished.
    func cancel(ids: [String], campaign: String?, now: Date) throws -> String {
        // Counted first: the jobs this cancel finishes are not "already finished".
        let finished = try writing { try $0.countJobs(JobFilter(ids: ids, campaign: campaign, states: JobState.allCases.filter(\.isTerminal))) }
        var canceled = 0
        try forEachPage(JobFilter(ids: ids, campaign: campaign, states: [.queued])) { jobs, rows in
            for var job in jobs {
                job.errorDesc = "canceled by operator"
                try rows.transition(&job, to: .canceled, now: now)
                canceled += 1
            }
        }
        let flagged = try writing { try $0.requestCancel(JobFilter(ids: ids, campaign: campaign, states: [.dispatching, .inCall, .unknown])) }
        return "canceled \(canceled) queued jobs; \(flagged) in progress will not be redialed; \(finished) already finished"
    }

    /// Queues failed, unknown and expired jobs (or those of `state`) again,
    /// as ``RetryTally`` rules and words it.
    func retry(ids: [String], state: JobState?, campaign: String?, now: Date, retryTTL: (JobType) -> Duration) throws -> String {
        let states: [JobState] = state.map { [$0] } ?? [.failed, .unknown, .expired]
        var tally = RetryTally()
        for state in states {
            try forEachPage(JobFilter(ids: ids, campaign: campaign, states: [state])) { jobs, rows in
                for var job in jobs {
                    try tally.take(&job, now: now, retryTTL: retryTTL) { try rows.transition(&$0, to: .queued, now: now) }
                }
            }
        }
        return tally.summary
    }

    /// Calls `body` with successive pages of the jobs `filter` matches, in
    /// row order, each page in its own write transaction (keyset paging on
    /// the row id: every page is an index range, whatever the campaign's size).
    func forEachPage(_ filter: JobFilter, _ body: ([JobRecord], Transaction) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let last: Int64? = try writing { rows in
                let jobs = try rows.jobs(.page(filter, afterRowID: after), limit: Self.controlPageSize)
                guard !jobs.isEmpty else { return nil }
                try body(jobs, rows)
                return jobs.last?.rowId
            }
            guard let last else { return }
            after = last
        }
    }
}
