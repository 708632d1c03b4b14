import CallSpoolCore
import Foundation
import GRDB
import VoiceCallAPI

/// The SQLite driver's ``StoreTransaction``: the row operations of the
/// store core over one GRDB write transaction, through cached statements
/// on the hot paths (the receiver's and the scheduler's). SQL only: what
/// happens to a job is decided in `Store/Core`.
public struct SQLiteTransaction: StoreTransaction {
    package let db: Database

    // MARK: Jobs

    public func job(rowID: Int64) throws -> JobRecord? {
        try JobRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM job WHERE id = ?"), arguments: [rowID])
    }

    public func write(_ job: JobRecord) throws { try job.update(db) }

    public func writeNextAttempt(_ job: JobRecord) throws {
        guard let rowID = job.rowId else { return }
        try db.cachedStatement(sql: "UPDATE job SET nextAttemptAt = ?, updatedAt = ? WHERE id = ?")
            .execute(arguments: [job.nextAttemptAt.timeIntervalSince1970, job.updatedAt.timeIntervalSince1970, rowID])
    }

    public func jobs(_ selection: JobSelection, limit: Int?) throws -> [JobRecord] {
        let (condition, arguments) = Self.condition(selection)
        var sql = "SELECT * FROM job j WHERE \(condition) ORDER BY j.id"
        if let limit { sql += " LIMIT \(limit)" }
        return try JobRecord.fetchAll(db, sql: sql, arguments: arguments)
    }

    static func condition(_ selection: JobSelection) -> (String, StatementArguments) {
        switch selection {
        case .dispatching(let app):
            return ("j.state = 'dispatching' AND j.app = ?", [app])
        case .inCallSince(let before):
            return ("j.state = 'in_call' AND j.updatedAt < ?", [before.timeIntervalSince1970])
        case .queuedExpired(let at):
            return ("j.state = 'queued' AND j.expiresAt <= ?", [at.timeIntervalSince1970])
        case .unknownExpired(let at):
            return ("j.state = 'unknown' AND j.expiresAt <= ?", [at.timeIntervalSince1970])
        case .unheardUnknown(let updatedBefore, let sentSince):
            return ("""
                j.state = 'unknown' AND j.type = 'notify' AND j.updatedAt <= ?
                  AND (SELECT MAX(a.at) FROM attempt a WHERE a.jobRowId = j.id) >= ?
                  AND NOT EXISTS (SELECT 1 FROM cdr c WHERE c.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e WHERE e.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e JOIN attempt a ON a.userData = e.userData WHERE a.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e JOIN attempt a ON a.sessionId = e.sessionId WHERE a.jobRowId = j.id)
                """, [updatedBefore.timeIntervalSince1970, sentSince.timeIntervalSince1970])
        case .page(let filter, let after):
            var (clause, arguments) = condition(filter)
            clause += " AND j.id > ?"
            arguments += [after]
            return (clause, arguments)
        }
    }

    /// A WHERE clause (and its arguments) for the jobs `filter` matches.
    static func condition(_ filter: JobFilter) -> (String, StatementArguments) {
        var clauses = ["j.state IN (\(filter.states.map { _ in "?" }.joined(separator: ", ")))"]
        var arguments = StatementArguments(filter.states.map(\.rawValue))
        if !filter.ids.isEmpty {
            clauses.append("j.jobId IN (\(filter.ids.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(filter.ids)
        }
        if let campaign = filter.campaign {
            clauses.append("j.campaign = ?")
            arguments += [campaign]
        }
        return (clauses.joined(separator: " AND "), arguments)
    }

    public func countJobs(_ filter: JobFilter) throws -> Int {
        let (clause, arguments) = Self.condition(filter)
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job j WHERE \(clause)", arguments: arguments) ?? 0
    }

    public func requestCancel(_ filter: JobFilter) throws -> Int {
        let (clause, arguments) = Self.condition(filter)
        try db.execute(sql: "UPDATE job AS j SET cancelRequested = 1 WHERE \(clause)", arguments: arguments)
        return db.changesCount
    }

    // MARK: Intake

    public func lastJobRowID() throws -> Int64 { try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM job") ?? 0 }

    public var insertBatchSize: Int { 500 }

    public func ensureCampaigns(_ names: [String], now: Date) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO campaign (name, createdAt) VALUES (?, ?)")
        for name in names { try statement.execute(arguments: [name, now.timeIntervalSince1970]) }
    }

    public func existingJobIDs(_ ids: [String]) throws -> Set<ExactText> {
        let statement = try db.cachedStatement(sql: "SELECT jobId FROM job WHERE jobId = ?")
        return Set(try ids.compactMap { try String.fetchOne(statement, arguments: [$0]) }.map(ExactText.init))
    }

    /// One cached INSERT per row (SQLite has no round trip to save).
    public func insertNewJobs(_ jobs: [NewJob]) throws -> [NewJobOutcome] {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO job (jobId, type, classRank, campaign, priority, state, calleeNbr, displayNbr, payload, meta,
                window, redial, notBefore, expiresAt, nextAttemptAt, sourceFile, intakeKey, createdAt, updatedAt, app, optOutDigits, optOutScope)
            VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(jobId) DO NOTHING
            """)
        let existing = try db.cachedStatement(sql: "SELECT id, intakeKey FROM job WHERE jobId = ?")
        return try jobs.map { job in
            let created = job.createdAt.timeIntervalSince1970
            try insert.execute(arguments: [
                job.jobId, job.type.rawValue, job.classRank, job.campaign, job.priority, job.calleeNbr, job.displayNbr, job.payload, job.meta,
                job.window, job.redial, job.notBefore?.timeIntervalSince1970, job.expiresAt.timeIntervalSince1970,
                job.nextAttemptAt.timeIntervalSince1970, job.sourceFile, job.intakeKey, created, created, job.app, job.optOutDigits, job.optOutScope,
            ])
            if db.changesCount > 0 { return .inserted }
            guard let row = try Row.fetchOne(existing, arguments: [job.jobId]) else { return .skipped }
            return .existing(rowID: row["id"], intakeKey: row["intakeKey"])
        }
    }

    public func intakeReport(key: String) throws -> FileReport? { try IntakeFileRecord.fetchOne(db, key: key)?.report }

    public func saveIntakeReport(key: String, name: String, report: FileReport, now: Date) throws {
        try IntakeFileRecord(intakeKey: key, name: name, report: report, completedAt: now).save(db)
    }

    // MARK: Attempts

    public func insertAttempt(_ ticket: DispatchTicket, at: Date) throws {
        try db.cachedStatement(sql: "INSERT INTO attempt (jobRowId, n, at, calleeNbr, displayNbr, userData) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [ticket.jobRowId, ticket.attempt, at.timeIntervalSince1970, ticket.calleeNbr, ticket.displayNbr, ticket.userData])
    }

    public func writeAnswer(_ answer: AttemptAnswer) throws {
        try db.cachedStatement(sql: "UPDATE attempt SET httpStatus = ?, resultcode = ?, resultDesc = ?, resultClass = ?, sessionId = ? WHERE jobRowId = ? AND n = ?")
            .execute(arguments: [
                answer.httpStatus, answer.resultcode, answer.resultDesc, answer.resultClass, answer.sessionId, answer.jobRowId, answer.n,
            ])
    }

    public func latestAttempt(jobRowId: Int64) throws -> (n: Int, sessionId: String?)? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT n, sessionId FROM attempt WHERE jobRowId = ? ORDER BY n DESC LIMIT 1"), arguments: [jobRowId])
        else { return nil }
        return (row[0], row[1])
    }

    public func attachSession(_ sessionId: String, jobRowId: Int64, attempt n: Int) throws {
        try db.cachedStatement(sql: "UPDATE attempt SET sessionId = ? WHERE jobRowId = ? AND n = ?").execute(arguments: [sessionId, jobRowId, n])
    }

    public func answeredJob(_ ticket: DispatchTicket, sessionId: String?) throws -> (job: JobRecord, callbacksWaiting: Bool)? {
        try job(rowID: ticket.jobRowId).map { ($0, true) }
    }

    // MARK: Call events and CDRs

    public func callOwner(sessionId: String) throws -> (jobRowId: Int64, app: String?)? {
        // The job's application comes with the match: no second query per event.
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT attempt.jobRowId AS id, job.app AS app FROM attempt JOIN job ON job.id = attempt.jobRowId WHERE attempt.sessionId = ?"),
            arguments: [sessionId])
            ?? Row.fetchOne(db.cachedStatement(sql: "SELECT id, app FROM job WHERE sessionId = ?"), arguments: [sessionId])
        return row.map { ($0["id"], $0["app"]) }
    }

    public func insertEvent(_ type: CallbackEventType, _ info: CallStatusInfo, body: String, app: String?, now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO callEvent (sessionId, eventType, receivedAt, timestamp, userData, digitInfo, stateCode, stateDesc, body, jobRowId, applied, app)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?)
            """).execute(arguments: [
                info.sessionId, type.rawValue, now.timeIntervalSince1970, info.timestamp, info.userData, info.digitInfo,
                info.stateCode, info.stateDesc, body, app,
            ])
    }

    public func hasCollectInfo(like info: CallStatusInfo, body: String) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM callEvent WHERE sessionId = ?1 AND eventType = 'collectInfo'
                    AND digitInfo IS ?2 AND userData IS ?3 AND timestamp IS ?4 AND (?4 IS NOT NULL OR body = ?5))
                """),
            arguments: [info.sessionId, info.digitInfo, info.userData, info.timestamp, body]) ?? false
    }

    public func pendingEvents(sessionId: String, jobRowId: Int64) throws -> PendingCallEvents {
        // Read by position from the cursor (the receiver's hot path: no row copies).
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: """
                SELECT id, eventType, digitInfo, stateCode, stateDesc FROM callEvent WHERE sessionId = ?1 AND applied = 0
                AND (app IS NULL OR app = (SELECT app FROM job WHERE id = ?2) OR (SELECT app FROM job WHERE id = ?2) IS NULL)
                ORDER BY id
                """), arguments: [sessionId, jobRowId])
        var events: [PendingCallEvent] = []
        while let row = try rows.next() {
            events.append(PendingCallEvent(id: row[0], eventType: row[1], digitInfo: row[2], stateCode: row[3], stateDesc: row[4]))
        }
        return PendingCallEvents(events: events, feeRecordMayWait: true)
    }

    public func markEventApplied(_ id: Int64, jobRowId: Int64) throws {
        try db.cachedStatement(sql: "UPDATE callEvent SET jobRowId = ?, applied = 1 WHERE id = ?").execute(arguments: [jobRowId, id])
    }

    public func insertFeeRecord(_ record: FeeRecord, raw: String, app: String?, now: Date) throws -> Bool {
        let row = try CDRRecord(fee: record, raw: raw, receivedAt: now, app: app).databaseDictionary
        let values: [(any DatabaseValueConvertible)?] = Self.cdrColumns.map { row[$0] }
        try db.cachedStatement(sql: Self.insertCDR).execute(arguments: StatementArguments(values))
        return db.changesCount > 0
    }

    /// The columns of `cdr`, as ``CDRRecord`` names them (its coding keys are
    /// the mapping from a ``FeeRecord``), in one fixed order for one cached statement.
    private static let cdrColumns = CDRRecord.CodingKeys.allCases.map(\.stringValue)
    private static let insertCDR = """
        INSERT INTO cdr (\(cdrColumns.joined(separator: ", "))) VALUES (\(cdrColumns.map { _ in "?" }.joined(separator: ", ")))
        ON CONFLICT(sessionId) DO NOTHING
        """

    public func pendingFeeRecord(sessionId: String, jobRowId: Int64) throws -> FeeRecord? {
        guard let cdr = try CDRRecord.fetchOne(db.cachedStatement(sql: """
                SELECT * FROM cdr WHERE sessionId = ?1
                AND (app IS NULL OR app = (SELECT app FROM job WHERE id = ?2) OR (SELECT app FROM job WHERE id = ?2) IS NULL)
                """), arguments: [sessionId, jobRowId]), !cdr.applied
        else { return nil }
        return cdr.fee
    }

    public func markFeeRecordApplied(sessionId: String, jobRowId: Int64) throws {
        try db.cachedStatement(sql: "UPDATE cdr SET jobRowId = ?, applied = 1 WHERE sessionId = ?").execute(arguments: [jobRowId, sessionId])
    }

    public func hasCollectedDigits(sessionId: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM callEvent WHERE sessionId = ? AND eventType = 'collectInfo'
                AND digitInfo IS NOT NULL AND digitInfo != '')
            """), arguments: [sessionId]) ?? false
    }

    public func pendingCalls(receivedAfter after: Date) throws -> [PendingCall] {
        try Row.fetchAll(db, sql: """
            SELECT sessionId, app, MAX(userData) AS userData FROM (
                SELECT sessionId, app, userData FROM callEvent WHERE applied = 0 AND receivedAt > ?1
                UNION ALL
                SELECT sessionId, app, userData FROM cdr WHERE applied = 0 AND receivedAt > ?1
            ) GROUP BY sessionId, app ORDER BY sessionId, app
            """, arguments: [after.timeIntervalSince1970]
        ).map { PendingCall(sessionId: $0["sessionId"], app: $0["app"], userData: $0["userData"]) }
    }

    public func claimNonce(_ nonce: CallbackNonce) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT INTO callbackNonce (nonce, expiresAt) VALUES (?1, ?2)
            ON CONFLICT(nonce) DO UPDATE SET expiresAt = excluded.expiresAt WHERE callbackNonce.expiresAt < ?3
            """).execute(arguments: [nonce.nonce, nonce.expiresAt, nonce.now])
        return db.changesCount > 0
    }

    public func pruneNonces(now: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM callbackNonce WHERE expiresAt < ?").execute(arguments: [now])
    }

    // MARK: Scheduling reads

    public func callsHoldingPorts(app: String) throws -> Set<Int64> { try AppDatabase.portHoldingJobRowIds(app: app, in: db) }

    public func runnableJobs(app: String, now: Date, limit: Int, verifyOnly: Bool) throws -> [JobRecord] {
        let stamp = now.timeIntervalSince1970
        let statement = try db.cachedStatement(sql: """
            SELECT * FROM job INDEXED BY job_app_runnable
            WHERE state = 'queued' AND app = ? AND nextAttemptAt <= ? AND expiresAt > ? \(verifyOnly ? "AND classRank = 0" : "")
            ORDER BY classRank, priority DESC, id LIMIT ?
            """)
        return try JobRecord.fetchAll(statement, arguments: [app, stamp, stamp, limit])
    }

    public func notifyCallsToCallee(_ callee: String, since: Date) throws -> (count: Int, oldest: Date?) {
        let statement = try db.cachedStatement(sql: """
            SELECT COUNT(*) AS n, MIN(attempt.at) AS oldest FROM attempt JOIN job ON job.id = attempt.jobRowId
            WHERE attempt.calleeNbr = ? AND attempt.at > ? AND (attempt.sessionId IS NOT NULL OR attempt.httpStatus IS NULL)
              AND job.type = 'notify'
            """)
        let row = try Row.fetchOne(statement, arguments: [callee, since.timeIntervalSince1970])
        let oldest: Double? = row?["oldest"]
        return (row?["n"] ?? 0, oldest.map { Date(timeIntervalSince1970: $0) })
    }

    // MARK: Pauses, halts, campaigns

    public func activePauses(now: Date) throws -> [PauseScope: PauseRecord] { try AppDatabase.activePauses(now: now, in: db) }

    public func pausedCampaigns() throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM campaign WHERE paused = 1")))
    }

    public func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try PauseRecord(scope: scope.description, reason: reason, code: code, until: until, createdAt: now).save(db)
    }

    public func clearPause(_ scope: PauseScope) throws { _ = try PauseRecord.deleteOne(db, key: scope.description) }
    public func clearOperatorPause() throws { try db.execute(sql: "DELETE FROM pause WHERE scope = 'global' AND until IS NULL") }
    public func setHalt(_ record: HaltRecord) throws { try record.save(db) }
    public func clearHalt(app: String) throws { _ = try HaltRecord.deleteOne(db, key: app) }

    public func setCampaignPaused(_ name: String, _ paused: Bool) throws -> Bool {
        try db.execute(sql: "UPDATE campaign SET paused = ? WHERE name = ?", arguments: [paused, name])
        return db.changesCount > 0
    }

    // MARK: Transaction

    /// SQLite rolls the whole transaction back on some errors (a full disk).
    public func survives(_ error: any Error) -> Bool { db.isInsideTransaction }

    public func isolated<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        guard let result else { throw SQLiteTransactionError.savepointWithoutResult }
        return result
    }
}

/// A savepoint that committed without running its body (GRDB never does
/// this; typed so the driver has no force unwrap).
enum SQLiteTransactionError: Error {
    case savepointWithoutResult
}

extension AppDatabase: StoreDriver {
    public func writing<T>(_ body: (SQLiteTransaction) throws -> T) throws -> T {
        try writer.write { db in try body(SQLiteTransaction(db: db)) }
    }

    public func reading<T>(_ body: (SQLiteTransaction) throws -> T) throws -> T {
        try writer.read { db in try body(SQLiteTransaction(db: db)) }
    }

    public func markIntentApplied(_ id: Int64, result: String, now: Date, in transaction: SQLiteTransaction) throws {
        try transaction.db.execute(sql: "UPDATE intent SET appliedAt = ?, result = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, result, id])
    }

    /// SQLite has no connection to lose: every error is the operation's own.
    public func isStoreFailure(_ error: any Error) -> Bool { false }
}
