import Foundation
import Logging
import PostgresNIO
import VoiceCallAPI

extension PostgresStore {
    /// One scheduling pass in one transaction. With a dispatcher lease
    /// (several instances), the transaction first checks that this
    /// instance still holds it, with a share lock on the lease row: a
    /// takeover waits for this commit, and after a takeover this pass
    /// changes nothing (``PostgresStoreError/notLeader(instance:epoch:)``).
    public func dispatchTransaction<T>(_ body: (any DispatchTransaction) throws -> T) throws -> T {
        try write { session in
            let epoch = try fence(session)
            return try body(PostgresDispatchTransaction(session: session, epoch: epoch))
        }
    }

    public func recoverInterruptedDispatches(app: String, now: Date) throws -> Int {
        try write { session in
            _ = try fence(session)
            let jobs = try session.lockedJobs(where: "state = 'dispatching' AND app = $1", [app])
            for var job in jobs {
                job.errorCode = nil
                job.errorDesc = "the daemon stopped while this job's request was in flight; waiting for callbacks"
                try session.transition(&job, to: .unknown, now: now)
            }
            return jobs.count
        }
    }

    public func portHoldingJobRowIds(app: String) throws -> Set<Int64> {
        try read { session in try session.portHoldingJobRowIds(app: app) }
    }

    public func verifyArrivals(app: String, since date: Date, limit: Int) throws -> [(Int64, Date)] {
        try read { session in
            try session.rows(
                "SELECT id, createdAt FROM job WHERE classRank = 0 AND app = $1 AND createdAt > $2 ORDER BY createdAt DESC LIMIT $3",
                [app, date, limit]
            ).map { (try $0.value("id", as: Int64.self), try $0.date("createdat")) }
        }
    }

    public func expireQueuedJobs(now: Date, limit: Int) throws -> [Int64] {
        try write { session in
            let jobs = try session.lockedJobs(where: "state = 'queued' AND expiresAt <= $1", [now], limit: limit)
            for var job in jobs {
                job.noteExpiry(job.attempts == 0 ? "expired before it could be sent" : "expired while waiting to be retried")
                try session.transition(&job, to: .expired, now: now)
            }
            return jobs.compactMap(\.rowId)
        }
    }

    public func expireCallLeases(now: Date, lease: Duration) throws -> [Int64] {
        try write { session in
            let cutoff = now.addingTimeInterval(-lease.timeInterval)
            let jobs = try session.lockedJobs(where: "state = 'in_call' AND updatedAt < $1", [cutoff])
            for var job in jobs {
                job.errorDesc = "no disconnect or CDR within the call lease (\(DurationText.format(lease)))"
                try session.transition(&job, to: .unknown, now: now)
            }
            return jobs.compactMap(\.rowId)
        }
    }

    public func expireUnknownJobs(now: Date, limit: Int) throws -> [Int64] {
        try write { session in
            let jobs = try session.lockedJobs(where: "state = 'unknown' AND expiresAt <= $1", [now], limit: limit)
            for var job in jobs {
                job.noteExpiry("expired while its outcome was unknown (no answer or callback matched it)")
                try session.transition(&job, to: .expired, now: now)
            }
            return jobs.compactMap(\.rowId)
        }
    }

    public func requeueUnheardUnknownJobs(now: Date, after: Duration, receiverUpSince: Date, limit: Int) throws -> [String] {
        guard after > .zero else { return [] }
        return try write { session in
            _ = try fence(session)
            let cutoff = now.addingTimeInterval(-after.timeInterval)
            let jobs = try session.records(
                JobRecord.self,
                """
                SELECT * FROM job j
                WHERE j.state = 'unknown' AND j.type = 'notify' AND j.updatedAt <= $1
                  AND (SELECT MAX(a.at) FROM attempt a WHERE a.jobRowId = j.id) >= $2
                  AND NOT EXISTS (SELECT 1 FROM cdr c WHERE c.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e WHERE e.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e JOIN attempt a ON a.userData = e.userData WHERE a.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e JOIN attempt a ON a.sessionId = e.sessionId WHERE a.jobRowId = j.id)
                ORDER BY j.id LIMIT $3 FOR UPDATE OF j
                """, [cutoff, receiverUpSince, limit])
            for var job in jobs {
                job.errorCode = nil
                job.errorDesc = "requeued: no status event or CDR for \(DurationText.format(after)) while the callback receiver was up, so no call took place"
                job.nextAttemptAt = now
                try session.transition(&job, to: .queued, now: now)
            }
            return jobs.map(\.jobId)
        }
    }
}

extension PostgresSession {
    func portHoldingJobRowIds(app: String) throws -> Set<Int64> {
        Set(
            try column(
                Int64.self,
                """
                SELECT id FROM job WHERE state = 'in_call' AND app = $1
                AND NOT EXISTS (SELECT 1 FROM callEvent WHERE callEvent.sessionId = job.sessionId
                    AND callEvent.eventType = 'disconnect' AND callEvent.applied)
                """, [app]))
    }

    func activePauses(now: Date) throws -> [PauseScope: PauseRecord] {
        var result: [PauseScope: PauseRecord] = [:]
        for record in try records(PauseRecord.self, "SELECT * FROM pause WHERE until IS NULL OR until > $1", [now]) {
            if let scope = PauseScope(record.scope) { result[scope] = record }
        }
        return result
    }

    func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try execute(
            """
            INSERT INTO pause (scope, reason, code, until, createdAt) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (scope) DO UPDATE SET reason = excluded.reason, code = excluded.code, until = excluded.until, createdAt = excluded.createdAt
            """, [scope.description, reason, code, until, now])
    }

    func clearPause(_ scope: PauseScope) throws {
        try execute("DELETE FROM pause WHERE scope = $1", [scope.description])
    }

    func setHalt(_ record: HaltRecord) throws {
        try execute(
            """
            INSERT INTO appHalt (app, code, reason, since, probeAt) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (app) DO UPDATE SET code = excluded.code, reason = excluded.reason, since = excluded.since, probeAt = excluded.probeAt
            """, [record.app, record.code, record.reason, record.since, record.probeAt])
    }
}

/// ``DispatchTransaction`` over one PostgreSQL transaction.
struct PostgresDispatchTransaction: DispatchTransaction {
    let session: PostgresSession
    /// The lease epoch this pass runs under (nil: no lease in use); stamped on attempts.
    let epoch: Int64?
    /// Calls per callee within the pass, read once per page.
    let counts = CalleeCallCounts()
    /// The jobs of a batch of answers, read and locked together.
    let answered = AnsweredJobs()

    /// Reads and locks every answered job at once, in row-id order (the
    /// order every batch takes job locks in, so two batches wait for each
    /// other instead of deadlocking), with whether callbacks wait for it.
    func willRecordAnswers(_ answers: [(ticket: DispatchTicket, sessionId: String?)]) throws {
        guard !answers.isEmpty else { return }
        let rows = try session.rows(
            """
            SELECT job.*, s.sid <> '' AND (EXISTS (SELECT 1 FROM callEvent e WHERE e.sessionId = s.sid AND NOT e.applied)
                OR EXISTS (SELECT 1 FROM cdr c WHERE c.sessionId = s.sid AND NOT c.applied)) AS "callbackswaiting"
            FROM job JOIN unnest($1::bigint[], $2::text[]) AS s(id, sid) ON job.id = s.id
            ORDER BY job.id FOR UPDATE OF job
            """, [PostgresInt64Array(answers.map(\.ticket.jobRowId)), PostgresTextArray(answers.map { $0.sessionId ?? "" })])
        for row in rows {
            let job = try PostgresRecordDecoder.decode(JobRecord.self, from: row)
            answered.keep(job, callbacksWaiting: try row.value("callbackswaiting", as: Bool.self))
        }
    }

    func callsHoldingPorts(app: String) throws -> Set<Int64> { try session.portHoldingJobRowIds(app: app) }
    func activePauses(now: Date) throws -> [PauseScope: PauseRecord] { try session.activePauses(now: now) }

    func pausedCampaigns() throws -> Set<String> {
        Set(try session.rows("SELECT name FROM campaign WHERE paused").map { try $0.value("name", as: String.self) })
    }

    /// Locked and skipping rows another transaction holds: a job being
    /// changed elsewhere (a cancel) is left for the next pass.
    func runnableJobs(app: String, now: Date, limit: Int, verifyOnly: Bool) throws -> [JobRecord] {
        let page = try session.records(
            JobRecord.self,
            """
            SELECT * FROM job
            WHERE state = 'queued' AND app = $1 AND nextAttemptAt <= $2 AND expiresAt > $2 \(verifyOnly ? "AND classRank = 0" : "")
            ORDER BY classRank, priority DESC, id LIMIT $3 FOR UPDATE SKIP LOCKED
            """, [app, now, limit])
        counts.expect(page.map(\.calleeNbr))
        return page
    }

    func postpone(_ job: inout JobRecord, until: Date, reason: String, now: Date) throws {
        if until >= job.expiresAt {
            job.noteExpiry("expired: \(reason)")
            try session.transition(&job, to: .expired, now: now)
        } else {
            job.nextAttemptAt = until
            job.updatedAt = now
            try session.update(job)
        }
    }

    /// Read for every callee of the page at once (one statement per page,
    /// not one per job), then kept up to date by ``beginAttempt``.
    func notifyCallsToCallee(_ callee: String, since: Date) throws -> (count: Int, oldest: Date?) {
        if let known = counts.calls(to: callee, since: since) { return known }
        let callees = counts.unread(since: since, adding: callee)
        var found: [String: CalleeCalls] = [:]
        for row in try session.rows(
            """
            SELECT attempt.calleeNbr, COUNT(*) AS n, MIN(attempt.at) AS oldest FROM attempt JOIN job ON job.id = attempt.jobRowId
            WHERE attempt.calleeNbr = ANY($1::text[]) AND attempt.at > $2
              AND (attempt.sessionId IS NOT NULL OR attempt.httpStatus IS NULL) AND job.type = 'notify'
            GROUP BY attempt.calleeNbr
            """, [PostgresTextArray(callees), since])
        {
            found[try row.value("calleenbr", as: String.self)] = CalleeCalls(
                count: Int(try row.value("n", as: Int64.self)), oldest: try row.optionalDate("oldest"))
        }
        counts.store(callees, found: found, since: since)
        return counts.calls(to: callee, since: since) ?? (0, nil)
    }

    func beginAttempt(_ job: inout JobRecord, displayNbr: String, fromPool: Bool, now: Date) throws -> DispatchTicket? {
        guard let ticket = try job.beginAttempt(displayNbr: displayNbr, fromPool: fromPool, now: now, write: { try session.update($0) }) else { return nil }
        session.batch.insertAttempt([
            ("jobRowId", ticket.jobRowId), ("n", ticket.attempt), ("at", now), ("calleeNbr", ticket.calleeNbr), ("displayNbr", displayNbr),
            ("userData", ticket.userData), ("epoch", epoch),
        ])
        if ticket.type == .notify { counts.placed(to: ticket.calleeNbr, at: now) }
        return ticket
    }

    func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try session.setPause(scope, reason: reason, code: code, until: until, now: now)
    }

    func clearPause(_ scope: PauseScope) throws { try session.clearPause(scope) }
    func setHalt(_ record: HaltRecord) throws { try session.setHalt(record) }
    func clearHalt(app: String) throws { try session.execute("DELETE FROM appHalt WHERE app = $1", [app]) }

    func recordAcceptance(_ ticket: DispatchTicket, acceptance: CallAcceptance, now: Date) throws -> [CallEndSignal] {
        counts.forget()
        guard let answered = try answeredJob(ticket, sessionId: acceptance.sessionId) else { return [] }
        // The attempt keeps its answer whatever became of the job (as in the SQLite store).
        session.batch.answerAttempt(
            jobRowId: ticket.jobRowId, n: ticket.attempt, httpStatus: acceptance.httpStatus, resultcode: "0", resultDesc: acceptance.resultdesc,
            resultClass: "ok", sessionId: acceptance.sessionId)
        guard answered.job.state == .dispatching else { return [] }
        var job = answered.job
        job.sessionId = acceptance.sessionId
        job.calls += 1
        job.errorCode = nil
        job.errorDesc = nil
        try session.transition(&job, to: .inCall, now: now)
        guard answered.callbacksWaiting else { return [] }
        return try session.applyPendingEvents(sessionId: acceptance.sessionId, jobRowId: ticket.jobRowId, now: now)
    }

    func recordFailure(
        _ ticket: DispatchTicket, httpStatus: Int?, resultcode: String?, resultDesc: String?, resultClass: String,
        disposition: AppDatabase.Disposition, now: Date
    ) throws {
        counts.forget()
        guard let answered = try answeredJob(ticket, sessionId: nil) else { return }
        session.batch.answerAttempt(
            jobRowId: ticket.jobRowId, n: ticket.attempt, httpStatus: httpStatus, resultcode: resultcode, resultDesc: resultDesc,
            resultClass: resultClass, sessionId: nil)
        guard answered.job.state == .dispatching else { return }
        var job = answered.job
        let next = job.recordFailure(resultcode: resultcode, resultDesc: resultDesc, resultClass: resultClass, disposition: disposition)
        try session.transition(&job, to: next, now: now)
    }

    /// The answered ticket's job, locked: as ``willRecordAnswers(_:)`` read
    /// it for the batch, or read now for an answer not announced.
    private func answeredJob(_ ticket: DispatchTicket, sessionId: String?) throws -> (job: JobRecord, callbacksWaiting: Bool)? {
        if let kept = answered.take(ticket.jobRowId) { return kept }
        try willRecordAnswers([(ticket, sessionId)])
        return answered.take(ticket.jobRowId)
    }

    func isolated(_ body: () throws -> Void) throws {
        try session.savepoint(body)
    }
}

/// The jobs of a batch of answers as ``PostgresDispatchTransaction/willRecordAnswers(_:)``
/// read them (locked for the transaction), each taken once by its answer.
final class AnsweredJobs: @unchecked Sendable {
    private var jobs: [Int64: (job: JobRecord, callbacksWaiting: Bool)] = [:]

    func keep(_ job: JobRecord, callbacksWaiting: Bool) {
        if let rowID = job.rowId { jobs[rowID] = (job, callbacksWaiting) }
    }

    func take(_ rowID: Int64) -> (job: JobRecord, callbacksWaiting: Bool)? { jobs.removeValue(forKey: rowID) }
}

/// A callee's calls inside the per-callee window, as a pass counts them.
struct CalleeCalls {
    var count: Int
    var oldest: Date?
}

/// The per-callee call counts of one scheduling pass.
///
/// Exists to read them for a whole page in one statement: the pass asks
/// for each job's callee in turn, and a round trip per job was a third of a
/// pass on PostgreSQL. Counts read for one `since` hold for the pass (the
/// window start is the same for every job of it); a call the pass places is
/// added here as its attempt row is written. Anything else that writes
/// attempts (an answer) forgets them.
final class CalleeCallCounts: @unchecked Sendable {
    private var since: Date?
    private var known: [String: CalleeCalls] = [:]
    private var expected: [String] = []

    /// The callees of the page just read: the next read covers them too.
    func expect(_ callees: [String]) { expected += callees }

    func calls(to callee: String, since: Date) -> (count: Int, oldest: Date?)? {
        guard self.since == since, let calls = known[callee] else { return nil }
        return (calls.count, calls.oldest)
    }

    /// The callees to read with `callee`: every expected one not known for `since`.
    func unread(since: Date, adding callee: String) -> [String] {
        if self.since != since { known = [:] }
        return Array(Set(expected + [callee]).filter { known[$0] == nil }).sorted()
    }

    func store(_ callees: [String], found: [String: CalleeCalls], since: Date) {
        self.since = since
        for callee in callees { known[callee] = found[callee] ?? CalleeCalls(count: 0, oldest: nil) }
        expected.removeAll()
    }

    func placed(to callee: String, at date: Date) {
        guard var calls = known[callee] else { return }
        calls.count += 1
        calls.oldest = min(calls.oldest ?? date, date)
        known[callee] = calls
    }

    func forget() {
        since = nil
        known = [:]
    }
}
