import CallSpoolCore
import Foundation
import PostgresNIO
import VoiceCallAPI

/// The PostgreSQL driver's ``StoreTransaction``: the row operations of the
/// store core over one transaction of a ``PostgresSession``. SQL only:
/// what happens to a job is decided in `Store/Core`.
///
/// Rows read for change are locked (`FOR UPDATE`), in row-id order where
/// several are, so two instances' transactions wait for each other rather
/// than overwrite or deadlock. Job and attempt writes go through the
/// session's ``PostgresRowBatch`` (one statement per table ahead of the
/// next statement); per-callee counts and answered jobs are read a page or
/// a batch at a time (``CalleeCallCounts``, ``AnsweredJobs``): fewer round
/// trips is what the dispatch rate on PostgreSQL depends on.
public struct PostgresTransaction: StoreTransaction {
    let session: PostgresSession
    let store: PostgresStore
    /// The lease epoch this transaction runs under once ``checkLease()``
    /// confirmed it (nil: no lease in use); stamped on attempts.
    let lease = LeaseEpoch()
    /// Calls per callee within the pass, read once per page.
    let counts = CalleeCallCounts()
    /// The jobs of a batch of answers, read and locked together.
    let answered = AnsweredJobs()

    init(session: PostgresSession, store: PostgresStore) {
        self.session = session
        self.store = store
    }

    // MARK: Jobs

    public func job(rowID: Int64) throws -> JobRecord? { try session.lockedJob(rowID) }
    public func write(_ job: JobRecord) throws { try session.update(job) }
    public func writeNextAttempt(_ job: JobRecord) throws { try session.update(job) }

    public func jobs(_ selection: JobSelection, limit: Int?) throws -> [JobRecord] {
        var arguments = PostgresArguments()
        let condition = Self.condition(selection, &arguments)
        var sql = "SELECT j.* FROM job j WHERE \(condition) ORDER BY j.id"
        if let limit { sql += " LIMIT \(limit)" }
        return try session.records(JobRecord.self, sql + " FOR UPDATE OF j", arguments)
    }

    static func condition(_ selection: JobSelection, _ arguments: inout PostgresArguments) -> String {
        switch selection {
        case .dispatching(let app):
            return "j.state = 'dispatching' AND j.app = \(arguments.parameter(app))"
        case .inCallSince(let before):
            return "j.state = 'in_call' AND j.updatedAt < \(arguments.parameter(before))"
        case .queuedExpired(let at):
            return "j.state = 'queued' AND j.expiresAt <= \(arguments.parameter(at))"
        case .unknownExpired(let at):
            return "j.state = 'unknown' AND j.expiresAt <= \(arguments.parameter(at))"
        case .unheardUnknown(let updatedBefore, let sentSince):
            return """
                j.state = 'unknown' AND j.type = 'notify' AND j.updatedAt <= \(arguments.parameter(updatedBefore))
                  AND (SELECT MAX(a.at) FROM attempt a WHERE a.jobRowId = j.id) >= \(arguments.parameter(sentSince))
                  AND NOT EXISTS (SELECT 1 FROM cdr c WHERE c.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e WHERE e.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e JOIN attempt a ON a.userData = e.userData WHERE a.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e JOIN attempt a ON a.sessionId = e.sessionId WHERE a.jobRowId = j.id)
                """
        case .page(let filter, let after):
            return condition(filter, &arguments) + " AND j.id > \(arguments.parameter(after))"
        }
    }

    /// A WHERE clause for the jobs `filter` matches.
    static func condition(_ filter: JobFilter, _ arguments: inout PostgresArguments) -> String {
        var clauses = ["j.state IN (\(filter.states.map { arguments.parameter($0.rawValue) }.joined(separator: ", ")))"]
        if !filter.ids.isEmpty { clauses.append("j.jobId IN (\(filter.ids.map { arguments.parameter($0) }.joined(separator: ", ")))") }
        if let campaign = filter.campaign { clauses.append("j.campaign = \(arguments.parameter(campaign))") }
        return clauses.joined(separator: " AND ")
    }

    public func countJobs(_ filter: JobFilter) throws -> Int {
        var arguments = PostgresArguments()
        let condition = Self.condition(filter, &arguments)
        return Int(try session.scalar(Int64.self, "SELECT COUNT(*) FROM job j WHERE \(condition)", arguments) ?? 0)
    }

    public func requestCancel(_ filter: JobFilter) throws -> Int {
        var arguments = PostgresArguments()
        let condition = Self.condition(filter, &arguments)
        return try session.changes("UPDATE job j SET cancelRequested = true WHERE \(condition)", arguments)
    }

    // MARK: Intake

    public func lastJobRowID() throws -> Int64 { try session.scalar(Int64.self, "SELECT MAX(id) FROM job") ?? 0 }

    /// Jobs per INSERT statement (21 parameters each: well under PostgreSQL's 65,535).
    public var insertBatchSize: Int { 500 }

    public func ensureCampaigns(_ names: [String], now: Date) throws {
        try session.execute(
            "INSERT INTO campaign (name, createdAt) SELECT unnest($1::text[]), $2 ON CONFLICT (name) DO NOTHING", [PostgresTextArray(names), now])
    }

    public func existingJobIDs(_ ids: [String]) throws -> Set<ExactText> {
        Set(try session.rows("SELECT jobId FROM job WHERE jobId = ANY($1::text[])", [PostgresTextArray(ids)])
            .map { ExactText(try $0.value("jobid", as: String.self)) })
    }

    /// One statement for the batch (one round trip, not one per job), then
    /// one read for the ids it did not insert. Each job records this
    /// instance (which took it in): its results file is written here.
    public func insertNewJobs(_ jobs: [NewJob]) throws -> [NewJobOutcome] {
        var arguments = PostgresArguments()
        var tuples: [String] = []
        for job in jobs {
            let values: [any PostgresBindable] = [
                job.jobId, job.type.rawValue, job.classRank, job.campaign, job.priority, job.calleeNbr, job.displayNbr, job.payload, job.meta,
                job.window, job.redial, job.notBefore, job.expiresAt, job.nextAttemptAt, job.sourceFile, job.intakeKey, job.createdAt,
                job.createdAt, job.app, store.settings.instance, job.optOutDigits, job.optOutScope,
            ]
            var marks = values.map { arguments.parameter($0) }
            marks.insert("'queued'", at: 5)
            tuples.append("(" + marks.joined(separator: ", ") + ")")
        }
        let inserted = Set(
            try session.rows(
                """
                INSERT INTO job (jobId, type, classRank, campaign, priority, state, calleeNbr, displayNbr, payload, meta,
                    "window", redial, notBefore, expiresAt, nextAttemptAt, sourceFile, intakeKey, createdAt, updatedAt, app, intakeInstance,
                    optOutDigits, optOutScope)
                VALUES \(tuples.joined(separator: ", "))
                ON CONFLICT (jobId) DO NOTHING RETURNING jobId
                """, arguments
            ).map { ExactText(try $0.value("jobid", as: String.self)) })
        // Keyed byte for byte, as PostgreSQL compares (ExactText); one row
        // of a statement's duplicates is the one inserted.
        var existing: [ExactText: (rowID: Int64, intakeKey: String?)] = [:]
        let others = jobs.map(\.jobId).filter { !inserted.contains(ExactText($0)) }
        if !others.isEmpty {
            for row in try session.rows("SELECT jobId, id, intakeKey FROM job WHERE jobId = ANY($1::text[])", [PostgresTextArray(others)]) {
                existing[ExactText(try row.value("jobid", as: String.self))] = (try row.value("id", as: Int64.self), try row.optional("intakekey", as: String.self))
            }
        }
        var taken = Set<ExactText>()
        return jobs.map { job in
            let key = ExactText(job.jobId)
            if inserted.contains(key), taken.insert(key).inserted { return .inserted }
            // A second row of an id this statement inserted: a duplicate.
            if inserted.contains(key) { return .existing(rowID: .max, intakeKey: nil) }
            guard let row = existing[key] else { return .skipped }
            return .existing(rowID: row.rowID, intakeKey: row.intakeKey)
        }
    }

    public func intakeReport(key: String) throws -> FileReport? { try session.report(key: key) }

    public func saveIntakeReport(key: String, name: String, report: FileReport, now: Date) throws {
        try session.saveReport(key: key, name: name, report: report, now: now)
    }

    /// Another instance's dispatcher waits on LISTEN: wake it after this commit.
    public func announceQueuedJobs() throws { try session.notify(PostgresSchema.wakeupChannel) }

    // MARK: Attempts

    public func insertAttempt(_ ticket: DispatchTicket, at: Date) throws {
        session.batch.insertAttempt([
            ("jobRowId", ticket.jobRowId), ("n", ticket.attempt), ("at", at), ("calleeNbr", ticket.calleeNbr), ("displayNbr", ticket.displayNbr),
            ("userData", ticket.userData), ("epoch", lease.epoch),
        ])
        if ticket.type == .notify { counts.placed(to: ticket.calleeNbr, at: at) }
    }

    public func writeAnswer(_ answer: AttemptAnswer) throws {
        counts.forget()
        session.batch.answerAttempt(
            jobRowId: answer.jobRowId, n: answer.n, httpStatus: answer.httpStatus, resultcode: answer.resultcode, resultDesc: answer.resultDesc,
            resultClass: answer.resultClass, sessionId: answer.sessionId)
    }

    public func latestAttempt(jobRowId: Int64) throws -> (n: Int, sessionId: String?)? {
        guard let row = try session.row("SELECT n, sessionId FROM attempt WHERE jobRowId = $1 ORDER BY n DESC LIMIT 1", [jobRowId]) else { return nil }
        return (try row.value("n", as: Int.self), try row.optional("sessionid", as: String.self))
    }

    public func attachSession(_ sessionId: String, jobRowId: Int64, attempt n: Int) throws {
        try session.send("UPDATE attempt SET sessionId = $1 WHERE jobRowId = $2 AND n = $3", [sessionId, jobRowId, n])
    }

    /// Reads and locks every answered job at once, in row-id order (the
    /// order every batch takes job locks in, so two batches wait for each
    /// other instead of deadlocking), with whether callbacks wait for it.
    public func willRecordAnswers(_ answers: [(ticket: DispatchTicket, sessionId: String?)]) throws {
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

    /// As ``willRecordAnswers(_:)`` read it for the batch, or read now for an answer not announced.
    public func answeredJob(_ ticket: DispatchTicket, sessionId: String?) throws -> (job: JobRecord, callbacksWaiting: Bool)? {
        if let kept = answered.take(ticket.jobRowId) { return kept }
        try willRecordAnswers([(ticket, sessionId)])
        return answered.take(ticket.jobRowId)
    }

    // MARK: Call events and CDRs

    public func callOwner(sessionId: String) throws -> (jobRowId: Int64, app: String?)? {
        let known =
            try session.row(
                "SELECT attempt.jobRowId AS id, job.app AS app FROM attempt JOIN job ON job.id = attempt.jobRowId WHERE attempt.sessionId = $1", [sessionId])
            ?? session.row("SELECT id, app FROM job WHERE sessionId = $1", [sessionId])
        guard let known else { return nil }
        return (try known.value("id", as: Int64.self), try known.optional("app", as: String.self))
    }

    public func insertEvent(_ type: CallbackEventType, _ info: CallStatusInfo, body: String, app: String?, now: Date) throws {
        try session.send(
            """
            INSERT INTO callEvent (sessionId, eventType, receivedAt, timestamp, userData, digitInfo, stateCode, stateDesc, body, applied, app)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false, $10)
            """,
            [info.sessionId, type.rawValue, now, info.timestamp, info.userData, info.digitInfo, info.stateCode, info.stateDesc, body, app])
    }

    public func hasCollectInfo(like info: CallStatusInfo, body: String) throws -> Bool {
        try session.scalar(
            Bool.self,
            """
            SELECT EXISTS (SELECT 1 FROM callEvent WHERE sessionId = $1 AND eventType = 'collectInfo'
                AND digitInfo IS NOT DISTINCT FROM $2 AND userData IS NOT DISTINCT FROM $3 AND timestamp IS NOT DISTINCT FROM $4
                AND ($4 IS NOT NULL OR body = $5))
            """, [info.sessionId, info.digitInfo, info.userData, info.timestamp, body]) ?? false
    }

    /// Each row also says whether a fee CDR waits for the call, so the
    /// usual push (an event, no CDR yet) costs one read, not two.
    public func pendingEvents(sessionId: String, jobRowId: Int64) throws -> PendingCallEvents {
        let rows = try session.rows(
            """
            SELECT id, eventType, digitInfo, stateCode, stateDesc,
                EXISTS (SELECT 1 FROM cdr WHERE cdr.sessionId = $1 AND NOT cdr.applied) AS "cdrwaiting"
            FROM callEvent WHERE sessionId = $1 AND NOT applied
            AND (app IS NULL OR app = (SELECT app FROM job WHERE id = $2) OR (SELECT app FROM job WHERE id = $2) IS NULL)
            ORDER BY id FOR UPDATE OF callEvent
            """, [sessionId, jobRowId])
        let events = try rows.map { row in
            PendingCallEvent(
                id: try row.value("id", as: Int64.self), eventType: try row.value("eventtype", as: String.self),
                digitInfo: try row.optional("digitinfo", as: String.self), stateCode: try row.optional("statecode", as: Int.self),
                stateDesc: try row.optional("statedesc", as: String.self))
        }
        return PendingCallEvents(events: events, feeRecordMayWait: try rows.first?.value("cdrwaiting", as: Bool.self) ?? true)
    }

    public func markEventApplied(_ id: Int64, jobRowId: Int64) throws {
        try session.send("UPDATE callEvent SET jobRowId = $1, applied = true WHERE id = $2", [jobRowId, id])
    }

    public func insertFeeRecord(_ record: FeeRecord, raw: String, app: String?, now: Date) throws -> Bool {
        let columns = try PostgresRecordEncoder.columns(of: CDRRecord(fee: record, raw: raw, receivedAt: now, app: app))
        let names = columns.map { PostgresSchema.quoted($0.name) }.joined(separator: ", ")
        let marks = columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        return try session.changes(
            "INSERT INTO cdr (\(names)) VALUES (\(marks)) ON CONFLICT (sessionId) DO NOTHING", PostgresArguments(columns.map(\.value))) > 0
    }

    public func pendingFeeRecord(sessionId: String, jobRowId: Int64) throws -> FeeRecord? {
        guard let cdr = try session.record(
                CDRRecord.self,
                """
                SELECT * FROM cdr WHERE sessionId = $1
                AND (app IS NULL OR app = (SELECT app FROM job WHERE id = $2) OR (SELECT app FROM job WHERE id = $2) IS NULL)
                FOR UPDATE
                """, [sessionId, jobRowId]),
            !cdr.applied
        else { return nil }
        return cdr.fee
    }

    public func markFeeRecordApplied(sessionId: String, jobRowId: Int64) throws {
        try session.send("UPDATE cdr SET jobRowId = $1, applied = true WHERE sessionId = $2", [jobRowId, sessionId])
    }

    public func hasCollectedDigits(sessionId: String) throws -> Bool {
        try session.scalar(
            Bool.self,
            "SELECT EXISTS (SELECT 1 FROM callEvent WHERE sessionId = $1 AND eventType = 'collectInfo' AND digitInfo IS NOT NULL AND digitInfo != '')",
            [sessionId]) ?? false
    }

    public func pendingCalls(receivedAfter after: Date) throws -> [PendingCall] {
        try session.rows(
            """
            SELECT sessionId, app, MAX(userData) AS userData FROM (
                SELECT sessionId, app, userData FROM callEvent WHERE NOT applied AND receivedAt > $1
                UNION ALL
                SELECT sessionId, app, userData FROM cdr WHERE NOT applied AND receivedAt > $1
            ) pending GROUP BY sessionId, app ORDER BY sessionId, app
            """, [after]
        ).map { row in
            PendingCall(
                sessionId: try row.value("sessionid", as: String.self), app: try row.optional("app", as: String.self),
                userData: try row.optional("userdata", as: String.self))
        }
    }

    public func claimNonce(_ nonce: CallbackNonce) throws -> Bool {
        try session.changes(
            """
            INSERT INTO callbackNonce (nonce, expiresAt) VALUES ($1, $2)
            ON CONFLICT (nonce) DO UPDATE SET expiresAt = excluded.expiresAt WHERE callbackNonce.expiresAt < $3
            """, [nonce.nonce, nonce.expiresAt, nonce.now]) > 0
    }

    public func pruneNonces(now: Int64) throws {
        try session.send("DELETE FROM callbackNonce WHERE expiresAt < $1", [now])
    }

    // MARK: Scheduling reads

    public func callsHoldingPorts(app: String) throws -> Set<Int64> { try session.portHoldingJobRowIds(app: app) }

    /// Locked and skipping rows another transaction holds: a job being
    /// changed elsewhere (a cancel) is left for the next pass.
    public func runnableJobs(app: String, now: Date, limit: Int, verifyOnly: Bool) throws -> [JobRecord] {
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

    /// Read for every callee of the page at once (one statement per page,
    /// not one per job), then kept up to date by ``insertAttempt(_:at:)``.
    public func notifyCallsToCallee(_ callee: String, since: Date) throws -> (count: Int, oldest: Date?) {
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

    // MARK: Pauses, halts, campaigns

    public func activePauses(now: Date) throws -> [PauseScope: PauseRecord] { try session.activePauses(now: now) }

    public func pausedCampaigns() throws -> Set<String> {
        Set(try session.rows("SELECT name FROM campaign WHERE paused").map { try $0.value("name", as: String.self) })
    }

    public func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try session.setPause(scope, reason: reason, code: code, until: until, now: now)
    }

    public func clearPause(_ scope: PauseScope) throws { try session.clearPause(scope) }
    public func clearOperatorPause() throws { try session.execute("DELETE FROM pause WHERE scope = 'global' AND until IS NULL") }
    public func setHalt(_ record: HaltRecord) throws { try session.setHalt(record) }
    public func clearHalt(app: String) throws { try session.execute("DELETE FROM appHalt WHERE app = $1", [app]) }

    public func setCampaignPaused(_ name: String, _ paused: Bool) throws -> Bool {
        try session.changes("UPDATE campaign SET paused = $1 WHERE name = $2", [paused, name]) > 0
    }

    // MARK: Transaction

    /// With a dispatcher lease (several instances), checks that this
    /// instance still holds it, with a share lock on the lease row
    /// (``PostgresStore/fence(_:)``): a takeover waits for this commit, and
    /// after a takeover this transaction changes nothing.
    public func checkLease() throws { lease.epoch = try store.fence(session) }

    public func isolated<T>(_ body: () throws -> T) throws -> T { try session.savepoint(body) }

    /// A lost connection (or lease) ends the transaction; a statement's
    /// error undid only its savepoint.
    public func survives(_ error: any Error) -> Bool { !(error is PostgresStoreError) }
}

/// The lease epoch a transaction confirmed (``PostgresTransaction/checkLease()``).
final class LeaseEpoch: @unchecked Sendable {
    var epoch: Int64?
}

extension PostgresArguments {
    /// Appends `value` and returns its placeholder (`$n`).
    mutating func parameter(_ value: some PostgresBindable) -> String {
        append(value)
        return "$\(bindings.count)"
    }
}

extension PostgresStore: StoreDriver {
    public func writing<T>(_ body: (PostgresTransaction) throws -> T) throws -> T {
        try write { session in try body(PostgresTransaction(session: session, store: self)) }
    }

    public func reading<T>(_ body: (PostgresTransaction) throws -> T) throws -> T {
        try read { session in try body(PostgresTransaction(session: session, store: self)) }
    }

    public func markIntentApplied(_ id: Int64, result: String, now: Date, in transaction: PostgresTransaction) throws {
        try transaction.session.execute("UPDATE intent SET appliedAt = $1, result = $2 WHERE id = $3", [now, result, id])
    }

    /// A lost connection or a lost lease ends the work at hand: nothing of
    /// the transaction was kept, and the next attempt finishes it.
    public func isStoreFailure(_ error: any Error) -> Bool { error is PostgresStoreError }
}
