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
                job.errorDesc = job.attempts == 0 ? "expired before it could be sent" : "expired while waiting to be retried"
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
                job.errorDesc = "expired while its outcome was unknown (no answer or callback matched it)"
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
            try rows(
                """
                SELECT id FROM job WHERE state = 'in_call' AND app = $1
                AND NOT EXISTS (SELECT 1 FROM callEvent WHERE callEvent.sessionId = job.sessionId
                    AND callEvent.eventType = 'disconnect' AND callEvent.applied)
                """, [app]
            ).map { try $0.value("id", as: Int64.self) })
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

    func callsHoldingPorts(app: String) throws -> Set<Int64> { try session.portHoldingJobRowIds(app: app) }
    func activePauses(now: Date) throws -> [PauseScope: PauseRecord] { try session.activePauses(now: now) }

    func pausedCampaigns() throws -> Set<String> {
        Set(try session.rows("SELECT name FROM campaign WHERE paused").map { try $0.value("name", as: String.self) })
    }

    /// Locked and skipping rows another transaction holds: a job being
    /// changed elsewhere (a cancel) is left for the next pass.
    func runnableJobs(app: String, now: Date, limit: Int, verifyOnly: Bool) throws -> [JobRecord] {
        try session.records(
            JobRecord.self,
            """
            SELECT * FROM job
            WHERE state = 'queued' AND app = $1 AND nextAttemptAt <= $2 AND expiresAt > $2 \(verifyOnly ? "AND classRank = 0" : "")
            ORDER BY classRank, priority DESC, id LIMIT $3 FOR UPDATE SKIP LOCKED
            """, [app, now, limit])
    }

    func postpone(_ job: inout JobRecord, until: Date, reason: String, now: Date) throws {
        if until >= job.expiresAt {
            job.errorDesc = "expired: \(reason)"
            try session.transition(&job, to: .expired, now: now)
        } else {
            guard let rowID = job.rowId else { return }
            job.nextAttemptAt = until
            job.updatedAt = now
            session.send("UPDATE job SET nextAttemptAt = $1, updatedAt = $2 WHERE id = $3", [until, now, rowID])
        }
    }

    func callsToCallee(_ callee: String, since: Date) throws -> (count: Int, oldest: Date?) {
        guard let row = try session.row(
            """
            SELECT COUNT(*) AS n, MIN(at) AS oldest FROM attempt
            WHERE calleeNbr = $1 AND at > $2 AND (sessionId IS NOT NULL OR httpStatus IS NULL)
            """, [callee, since])
        else { return (0, nil) }
        return (Int(try row.value("n", as: Int64.self)), try row.optionalDate("oldest"))
    }

    func beginAttempt(_ job: inout JobRecord, displayNbr: String, fromPool: Bool, now: Date) throws -> DispatchTicket? {
        guard let jobRowId = job.rowId, job.state == .queued else { return nil }
        let payload: JobPayload
        switch job.payload.decode() {
        case .success(let decoded):
            payload = decoded
        case .failure(let problem):
            try job.failUnreadablePayload(problem, now: now) { try session.update($0) }
            return nil
        }
        job.attempts += 1
        let userData = "cs1.\(jobRowId).\(job.attempts)"
        try session.transition(&job, to: .dispatching, now: now)
        session.send(
            "INSERT INTO attempt (jobRowId, n, at, calleeNbr, displayNbr, userData, epoch) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [jobRowId, job.attempts, now, job.calleeNbr, displayNbr, userData, epoch])
        return DispatchTicket(
            jobRowId: jobRowId, jobId: job.jobId, type: job.type, attempt: job.attempts, userData: userData, calleeNbr: job.calleeNbr,
            displayNbr: displayNbr, payload: payload, expiresAt: job.expiresAt, campaign: job.campaign, displayFromPool: fromPool)
    }

    func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try session.setPause(scope, reason: reason, code: code, until: until, now: now)
    }

    func clearPause(_ scope: PauseScope) throws { try session.clearPause(scope) }
    func setHalt(_ record: HaltRecord) throws { try session.setHalt(record) }
    func clearHalt(app: String) throws { try session.execute("DELETE FROM appHalt WHERE app = $1", [app]) }

    func recordAcceptance(_ ticket: DispatchTicket, acceptance: CallAcceptance, now: Date) throws -> [CallEndSignal] {
        session.send(
            "UPDATE attempt SET httpStatus = $1, resultcode = '0', resultDesc = $2, resultClass = 'ok', sessionId = $3 WHERE jobRowId = $4 AND n = $5",
            [acceptance.httpStatus, acceptance.resultdesc, acceptance.sessionId, ticket.jobRowId, ticket.attempt])
        guard var job = try session.lockedJob(ticket.jobRowId), job.state == .dispatching else { return [] }
        job.sessionId = acceptance.sessionId
        job.calls += 1
        job.errorCode = nil
        job.errorDesc = nil
        try session.transition(&job, to: .inCall, now: now)
        return try session.applyPendingEvents(sessionId: acceptance.sessionId, jobRowId: ticket.jobRowId, now: now)
    }

    func recordFailure(
        _ ticket: DispatchTicket, httpStatus: Int?, resultcode: String?, resultDesc: String?, resultClass: String,
        disposition: AppDatabase.Disposition, now: Date
    ) throws {
        session.send(
            "UPDATE attempt SET httpStatus = $1, resultcode = $2, resultDesc = $3, resultClass = $4 WHERE jobRowId = $5 AND n = $6",
            [httpStatus, resultcode, resultDesc, resultClass, ticket.jobRowId, ticket.attempt])
        guard var job = try session.lockedJob(ticket.jobRowId), job.state == .dispatching else { return }
        let next = job.recordFailure(resultcode: resultcode, resultDesc: resultDesc, resultClass: resultClass, disposition: disposition)
        try session.transition(&job, to: next, now: now)
    }

    func isolated(_ body: () throws -> Void) throws {
        try session.savepoint(body)
    }
}
