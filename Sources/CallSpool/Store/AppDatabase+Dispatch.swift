import Foundation
import GRDB
import Logging
import VoiceCallAPI

/// A request about to be sent: the job was moved to `dispatching` and its
/// attempt row (with the userData that callbacks echo) was committed first.
public struct DispatchTicket: Sendable, Hashable {
    public var jobRowId: Int64
    public var jobId: String
    public var type: JobType
    public var attempt: Int
    public var userData: String
    public var calleeNbr: String
    public var displayNbr: String
    public var payload: JobPayload
    public var expiresAt: Date
    public var campaign: String?
    /// Whether `displayNbr` was chosen from the pool (another may be picked on retry).
    public var displayFromPool: Bool
}

extension AppDatabase {
    /// At start-up: requests that were in flight when the daemon stopped may
    /// have placed calls. They become `unknown`, never re-sent automatically;
    /// callbacks reconcile them.
    @discardableResult
    public func recoverInterruptedDispatches(app: String, now: Date) throws -> Int {
        try writer.write { db in
            let jobs = try JobRecord.filter(JobRecord.Columns.state == JobState.dispatching.rawValue && JobRecord.Columns.app == app).fetchAll(db)
            for var job in jobs {
                job.errorCode = nil
                job.errorDesc = "the daemon stopped while this job's request was in flight; waiting for callbacks"
                try Self.transition(&job, to: .unknown, now: now, in: db)
            }
            return jobs.count
        }
    }

    /// `in_call` jobs whose lease ran out without disconnect or CDR become `unknown`.
    @discardableResult
    public func expireCallLeases(now: Date, lease: Duration) throws -> [Int64] {
        try writer.write { db in
            let cutoff = now.addingTimeInterval(-lease.timeInterval).timeIntervalSince1970
            let jobs = try JobRecord.filter(sql: "state = 'in_call' AND updatedAt < ?", arguments: [cutoff]).fetchAll(db)
            for var job in jobs {
                job.errorDesc = "no disconnect or CDR within the call lease (\(DurationText.format(lease)))"
                try Self.transition(&job, to: .unknown, now: now, in: db)
            }
            return jobs.compactMap(\.rowId)
        }
    }

    /// Queued jobs past their expiry become `expired`.
    @discardableResult
    public func expireQueuedJobs(now: Date, limit: Int = 10_000) throws -> [Int64] {
        try writer.write { db in
            let jobs = try JobRecord.filter(sql: "state = 'queued' AND expiresAt <= ?", arguments: [now.timeIntervalSince1970]).limit(limit).fetchAll(db)
            for var job in jobs {
                job.noteExpiry(job.attempts == 0 ? "expired before it could be sent" : "expired while waiting to be retried")
                try Self.transition(&job, to: .expired, now: now, in: db)
            }
            return jobs.compactMap(\.rowId)
        }
    }

    /// The next runnable jobs, verify first, then by priority and age. Only
    /// a page is read: the queue may hold millions.
    static func runnableJobs(app: String, now: Date, limit: Int, verifyOnly: Bool, in db: Database) throws -> [JobRecord] {
        let stamp = now.timeIntervalSince1970
        let statement = try db.cachedStatement(sql: """
            SELECT * FROM job INDEXED BY job_app_runnable
            WHERE state = 'queued' AND app = ? AND nextAttemptAt <= ? AND expiresAt > ? \(verifyOnly ? "AND classRank = 0" : "")
            ORDER BY classRank, priority DESC, id LIMIT ?
            """)
        return try JobRecord.fetchAll(statement, arguments: [app, stamp, stamp, limit])
    }

    /// Pushes a queued job's next try later (window closed, callee limit, …)
    /// without a state change; past its expiry it becomes `expired`.
    static func postpone(_ job: inout JobRecord, until: Date, reason: String, now: Date, in db: Database) throws {
        if until >= job.expiresAt {
            job.noteExpiry("expired: \(reason)")
            try transition(&job, to: .expired, now: now, in: db)
        } else {
            guard let rowID = job.rowId else { return }
            job.nextAttemptAt = until
            job.updatedAt = now
            try db.cachedStatement(sql: "UPDATE job SET nextAttemptAt = ?, updatedAt = ? WHERE id = ?")
                .execute(arguments: [until.timeIntervalSince1970, now.timeIntervalSince1970, rowID])
        }
    }

    /// Notify calls placed to a callee since `since` (requests accepted or whose fate is unknown).
    static func notifyCallsToCallee(_ callee: String, since: Date, in db: Database) throws -> (count: Int, oldest: Date?) {
        let statement = try db.cachedStatement(sql: """
            SELECT COUNT(*) AS n, MIN(attempt.at) AS oldest FROM attempt JOIN job ON job.id = attempt.jobRowId
            WHERE attempt.calleeNbr = ? AND attempt.at > ? AND (attempt.sessionId IS NOT NULL OR attempt.httpStatus IS NULL)
              AND job.type = 'notify'
            """)
        let row = try Row.fetchOne(statement, arguments: [callee, since.timeIntervalSince1970])
        let oldest: Double? = row?["oldest"]
        return (row?["n"] ?? 0, oldest.map { Date(timeIntervalSince1970: $0) })
    }

    /// Moves a queued job to `dispatching` and writes its attempt row before
    /// the request is sent (``JobRecord/beginAttempt(displayNbr:fromPool:now:write:)``).
    static func beginAttempt(_ job: inout JobRecord, displayNbr: String, fromPool: Bool, now: Date, in db: Database) throws -> DispatchTicket? {
        guard let ticket = try job.beginAttempt(displayNbr: displayNbr, fromPool: fromPool, now: now, write: { try $0.update(db) }) else { return nil }
        try db.cachedStatement(sql: "INSERT INTO attempt (jobRowId, n, at, calleeNbr, displayNbr, userData) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [ticket.jobRowId, ticket.attempt, now.timeIntervalSince1970, ticket.calleeNbr, displayNbr, ticket.userData])
        return ticket
    }

    /// The platform accepted: the job is `in_call` with its sessionId, and
    /// events that arrived before this response are applied now.
    static func recordAcceptance(_ ticket: DispatchTicket, acceptance: CallAcceptance, now: Date, in db: Database) throws -> [CallEndSignal] {
        try db.cachedStatement(
            sql: "UPDATE attempt SET httpStatus = ?, resultcode = '0', resultDesc = ?, resultClass = 'ok', sessionId = ? WHERE jobRowId = ? AND n = ?"
        ).execute(arguments: [acceptance.httpStatus, acceptance.resultdesc, acceptance.sessionId, ticket.jobRowId, ticket.attempt])
        guard var job = try fetchJob(ticket.jobRowId, in: db), job.state == .dispatching else { return [] }
        job.sessionId = acceptance.sessionId
        job.calls += 1
        job.errorCode = nil
        job.errorDesc = nil
        try transition(&job, to: .inCall, now: now, in: db)
        return try applyPendingEvents(sessionId: acceptance.sessionId, jobRowId: ticket.jobRowId, now: now, in: db)
    }

    /// A job by row id through a cached statement (hot paths).
    static func fetchJob(_ rowID: Int64, in db: Database) throws -> JobRecord? {
        try JobRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM job WHERE id = ?"), arguments: [rowID])
    }

    /// What to do with a job whose request did not place a call.
    public enum Disposition: Sendable, Hashable {
        case requeue(at: Date)
        case fail(code: String, description: String)
        case unknown(reason: String)
    }

    /// Records a rejected or failed request and moves the job on.
    static func recordFailure(
        _ ticket: DispatchTicket, httpStatus: Int?, resultcode: String?, resultDesc: String?, resultClass: String, disposition: Disposition, now: Date,
        in db: Database
    ) throws {
        try db.cachedStatement(sql: "UPDATE attempt SET httpStatus = ?, resultcode = ?, resultDesc = ?, resultClass = ? WHERE jobRowId = ? AND n = ?")
            .execute(arguments: [httpStatus, resultcode, resultDesc, resultClass, ticket.jobRowId, ticket.attempt])
        guard var job = try fetchJob(ticket.jobRowId, in: db), job.state == .dispatching else { return }
        let next = job.recordFailure(resultcode: resultcode, resultDesc: resultDesc, resultClass: resultClass, disposition: disposition)
        try transition(&job, to: next, now: now, in: db)
    }
}
