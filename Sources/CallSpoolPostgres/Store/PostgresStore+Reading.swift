import CallSpoolCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func stateCounts() throws -> [JobState: Int] {
        try read { session in
            var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
            for row in try session.rows("SELECT state, COUNT(*) AS n FROM job GROUP BY state") {
                if let state = JobState(rawValue: try row.value("state", as: String.self)) { counts[state] = Int(try row.value("n", as: Int64.self)) }
            }
            return counts
        }
    }

    public func jobs(state: JobState?, campaign: String?, limit: Int) throws -> [JobRecord] {
        try read { session in
            var arguments = PostgresArguments()
            var clauses = ["true"]
            if let state {
                arguments.append(state.rawValue)
                clauses.append("state = $\(arguments.bindings.count)")
            }
            if let campaign {
                arguments.append(campaign)
                clauses.append("campaign = $\(arguments.bindings.count)")
            }
            arguments.append(limit)
            return try session.records(
                JobRecord.self, "SELECT * FROM job WHERE \(clauses.joined(separator: " AND ")) ORDER BY id DESC LIMIT $\(arguments.bindings.count)", arguments)
        }
    }

    public func jobsPage(state: JobState?, campaign: String?, afterRowID: Int64, limit: Int) throws -> [JobRecord] {
        try read { session in
            var arguments = PostgresArguments()
            var clauses = ["id > \(arguments.parameter(afterRowID))"]
            if let state { clauses.append("state = \(arguments.parameter(state.rawValue))") }
            if let campaign { clauses.append("campaign = \(arguments.parameter(campaign))") }
            let limit = arguments.parameter(limit)
            return try session.records(JobRecord.self, "SELECT * FROM job WHERE \(clauses.joined(separator: " AND ")) ORDER BY id LIMIT \(limit)", arguments)
        }
    }

    public func jobDetail(id: String) throws -> JobDetail? {
        try read { session in
            guard let job = try session.record(JobRecord.self, "SELECT * FROM job WHERE jobId = $1", [id]), let rowID = job.rowId else { return nil }
            return JobDetail(
                job: job,
                attempts: try session.attempts(of: rowID),
                events: try session.records(CallEventRecord.self, "SELECT * FROM callEvent WHERE jobRowId = $1 ORDER BY id", [rowID]),
                cdrs: try session.records(CDRRecord.self, "SELECT * FROM cdr WHERE jobRowId = $1", [rowID]))
        }
    }

    public func campaignSummaries() throws -> [CampaignSummary] {
        try read { session in
            var summaries: [String: CampaignSummary] = [:]
            for row in try session.rows("SELECT name, paused FROM campaign ORDER BY name") {
                let name = try row.value("name", as: String.self)
                summaries[name] = CampaignSummary(campaign: name, paused: try row.value("paused", as: Bool.self))
            }
            for row in try session.rows("SELECT campaign, state, outcome, COUNT(*) AS n FROM job WHERE campaign IS NOT NULL GROUP BY campaign, state, outcome") {
                let name = try row.value("campaign", as: String.self)
                var summary = summaries[name] ?? CampaignSummary(campaign: name, paused: false)
                let count = Int(try row.value("n", as: Int64.self))
                summary.total += count
                summary.states[try row.value("state", as: String.self), default: 0] += count
                if let outcome = try row.optional("outcome", as: String.self) { summary.outcomes[outcome, default: 0] += count }
                summaries[name] = summary
            }
            for row in try session.rows("SELECT campaign, digits, COUNT(*) AS n FROM job WHERE campaign IS NOT NULL AND digits != '[]' GROUP BY campaign, digits") {
                let name = try row.value("campaign", as: String.self)
                summaries[name]?.digits[StoredDigits.joined(try row.value("digits", as: String.self)), default: 0] += Int(try row.value("n", as: Int64.self))
            }
            for row in try session.rows(
                "SELECT campaign, app, SUM(billedMinutes)::bigint AS minutes FROM job WHERE campaign IS NOT NULL AND billedMinutes > 0 GROUP BY campaign, app"
            ) {
                let name = try row.value("campaign", as: String.self)
                summaries[name]?.addBilled(app: try row.optional("app", as: String.self), minutes: Int(try row.value("minutes", as: Int64.self)))
            }
            return summaries.values.sorted { $0.campaign < $1.campaign }
        }
    }

    /// One campaign's summary (as in ``campaignSummaries()``); nil when there is no such campaign.
    public func campaignSummary(_ campaign: String) throws -> CampaignSummary? {
        try read { session in
            let paused = try session.scalar(Bool.self, "SELECT paused FROM campaign WHERE name = $1", [campaign])
            var summary = CampaignSummary(campaign: campaign, paused: paused ?? false)
            for row in try session.rows("SELECT state, outcome, COUNT(*) AS n FROM job WHERE campaign = $1 GROUP BY state, outcome", [campaign]) {
                let count = Int(try row.value("n", as: Int64.self))
                summary.total += count
                summary.states[try row.value("state", as: String.self), default: 0] += count
                if let outcome = try row.optional("outcome", as: String.self) { summary.outcomes[outcome, default: 0] += count }
            }
            guard paused != nil || summary.total > 0 else { return nil }
            for row in try session.rows("SELECT digits, COUNT(*) AS n FROM job WHERE campaign = $1 AND digits != '[]' GROUP BY digits", [campaign]) {
                summary.digits[StoredDigits.joined(try row.value("digits", as: String.self)), default: 0] += Int(try row.value("n", as: Int64.self))
            }
            for row in try session.rows(
                "SELECT app, SUM(billedMinutes)::bigint AS minutes FROM job WHERE campaign = $1 AND billedMinutes > 0 GROUP BY app", [campaign]
            ) {
                summary.addBilled(app: try row.optional("app", as: String.self), minutes: Int(try row.value("minutes", as: Int64.self)))
            }
            return summary
        }
    }

    public func campaignExists(_ campaign: String) throws -> Bool {
        try read { session in
            try session.scalar(
                Bool.self, "SELECT EXISTS (SELECT 1 FROM campaign WHERE name = $1) OR EXISTS (SELECT 1 FROM job WHERE campaign = $1)", [campaign]) ?? false
        }
    }

    public func campaignJobsPage(campaign: String, afterRowID: Int64, limit: Int) throws -> [JobRecord] {
        try read { session in
            try session.records(JobRecord.self, "SELECT * FROM job WHERE campaign = $1 AND id > $2 ORDER BY id LIMIT $3", [campaign, afterRowID, limit])
        }
    }

    public func reportAttempts(campaign: String) throws -> [ReportAttempt] {
        try read { session in
            try session.rows(
                """
                SELECT a.at, a.n, a.resultClass, a.resultcode, a.sessionId, j.attempts AS lastN, j.finishedAt,
                       (SELECT MIN(e.receivedAt) FROM callEvent e WHERE e.sessionId = a.sessionId AND e.eventType = 'disconnect') AS disconnectAt
                FROM attempt a JOIN job j ON j.id = a.jobRowId
                WHERE j.campaign = $1 ORDER BY a.at
                """, [campaign]
            ).map { row in
                let n = try row.value("n", as: Int.self)
                let end = try row.optionalDate("disconnectat") ?? (n == (try row.value("lastn", as: Int.self)) ? try row.optionalDate("finishedat") : nil)
                return ReportAttempt(
                    at: try row.date("at"), n: n, resultClass: try row.optional("resultclass"), resultcode: try row.optional("resultcode"),
                    accepted: try row.optional("sessionid", as: String.self) != nil, endedAt: end)
            }
        }
    }

    public func reportErrors(campaign: String, limit: Int) throws -> [ReportError] {
        try read { session in
            try session.rows(
                """
                SELECT at, jobId, calleeNbr, code, description FROM (
                  SELECT a.at AS at, j.jobId AS jobId, a.calleeNbr AS calleeNbr,
                         COALESCE(a.resultcode, CASE WHEN a.httpStatus IS NOT NULL THEN 'http_' || a.httpStatus ELSE a.resultClass END) AS code,
                         COALESCE(a.resultDesc, a.resultClass, '') AS description
                  FROM attempt a JOIN job j ON j.id = a.jobRowId
                  WHERE j.campaign = $1 AND a.resultClass IS NOT NULL AND a.resultClass != 'ok'
                  UNION ALL
                  SELECT COALESCE(finishedAt, updatedAt), jobId, calleeNbr, errorCode, COALESCE(errorDesc, '')
                  FROM job WHERE campaign = $1 AND errorCode IS NOT NULL
                ) errors ORDER BY at DESC LIMIT $2
                """, [campaign, limit]
            ).map { row in
                ReportError(
                    at: try row.date("at"), jobId: try row.value("jobid"), calleeNbr: try row.value("calleenbr"),
                    code: try row.optional("code") ?? "?", description: try row.optional("description") ?? "")
            }
        }
    }

    public func recentErrors(limit: Int) throws -> [RecentError] {
        try read { session in
            try session.records(
                JobRecord.self,
                "SELECT * FROM job WHERE (errorCode IS NOT NULL OR errorDesc IS NOT NULL) AND state != 'canceled' ORDER BY updatedAt DESC, id DESC LIMIT $1",
                [limit]
            ).map { RecentError(id: $0.jobId, state: $0.state.rawValue, code: $0.errorCode, description: $0.errorDesc, at: Timestamp.format($0.updatedAt)) }
        }
    }

    public func oldestDueQueued(now: Date) throws -> [JobType: Date] {
        try read { session in
            var result: [JobType: Date] = [:]
            for row in try session.rows(
                "SELECT type, MIN(GREATEST(createdAt, nextAttemptAt)) AS since FROM job WHERE state = 'queued' AND nextAttemptAt <= $1 GROUP BY type", [now])
            {
                guard let type = JobType(rawValue: try row.value("type", as: String.self)), let since = try row.optionalDate("since") else { continue }
                result[type] = since
            }
            return result
        }
    }

    public func runFigures() throws -> RunFigures {
        try read { session in
            var figures = RunFigures()
            for row in try session.rows(
                """
                SELECT state, outcome, COUNT(*) AS n, SUM(attempts)::bigint AS a, SUM(calls)::bigint AS c,
                       COUNT(*) FILTER (WHERE attempts > 1) AS r, COUNT(*) FILTER (WHERE calls > 1) AS d
                FROM job GROUP BY state, outcome
                """)
            {
                let count = Int(try row.value("n", as: Int64.self))
                figures.states[try row.value("state", as: String.self), default: 0] += count
                if let outcome = try row.optional("outcome", as: String.self) { figures.outcomes[outcome, default: 0] += count }
                figures.requests += Int(try row.optional("a", as: Int64.self) ?? 0)
                figures.calls += Int(try row.optional("c", as: Int64.self) ?? 0)
                figures.jobsRetried += Int(try row.value("r", as: Int64.self))
                figures.jobsRedialled += Int(try row.value("d", as: Int64.self))
            }
            for row in try session.rows("SELECT digits, COUNT(*) AS n FROM job WHERE digits != '[]' GROUP BY digits") {
                figures.digits[StoredDigits.joined(try row.value("digits", as: String.self)), default: 0] += Int(try row.value("n", as: Int64.self))
            }
            for row in try session.rows(
                """
                SELECT resultClass, COALESCE(resultcode, CASE WHEN httpStatus > 0 THEN 'http_' || httpStatus ELSE '-' END) AS code, COUNT(*) AS n
                FROM attempt WHERE resultClass IS NOT NULL AND resultClass != 'ok' GROUP BY 1, 2
                """)
            {
                figures.pushBacks["\(try row.value("resultclass", as: String.self)) \(try row.value("code", as: String.self))", default: 0] +=
                    Int(try row.value("n", as: Int64.self))
            }
            return figures
        }
    }

    // MARK: Results outbox

    /// How long an instance may go without a heartbeat before the results
    /// files of the jobs it took in are another instance's to write: a host
    /// gone for good must not keep them forever. Ten minutes: far above a
    /// restart or a database failover, and the instances' clocks (which
    /// write the heartbeat) need only be within minutes of the database's.
    static let resultsOwnerSilence: Duration = .seconds(600)

    /// The rows this instance's drainer writes: those of jobs it took in;
    /// and those of jobs whose intake instance is unknown (queued before
    /// schema step pg3, or copied from SQLite) or has not beaten for
    /// ``resultsOwnerSilence`` (on the database's clock), which it first
    /// claims (`instance` set to its own name, under the row's lock) so
    /// that two drainers taking over never both write a file. A row queued
    /// again for a job of an instance that came back is that instance's again.
    public func pendingResults(limit: Int) throws -> [PendingResult] {
        let silence = Self.resultsOwnerSilence.timeInterval
        // Own rows are read at once; orphaned ones are only named here.
        let (own, orphans) = try read { session -> ([PendingResult], [Int64]) in
            var own: [OutboxEntry] = []
            var orphans: [Int64] = []
            for row in try session.rows(
                """
                SELECT jobRowId, queuedAt, version, instance IS NOT DISTINCT FROM $1 AS mine FROM resultOutbox o
                WHERE o.instance = $1 OR \(Self.orphanedResult(silence: "$2"))
                ORDER BY queuedAt, jobRowId LIMIT $3
                """, [settings.instance, silence, limit])
            {
                let rowID = try row.value("jobrowid", as: Int64.self)
                guard try row.value("mine", as: Bool.self) else {
                    orphans.append(rowID)
                    continue
                }
                own.append(OutboxEntry(rowID: rowID, queuedAt: try row.value("queuedat"), version: try row.value("version")))
            }
            return (try session.pendingResults(own), orphans)
        }
        guard !orphans.isEmpty else { return own }
        let claimed = try write { session in
            try session.rows(
                """
                UPDATE resultOutbox o SET instance = $1 WHERE jobRowId = ANY($2::bigint[]) AND \(Self.orphanedResult(silence: "$3"))
                RETURNING jobRowId, queuedAt, version
                """, [settings.instance, PostgresInt64Array(orphans), silence]
            ).map { OutboxEntry(rowID: try $0.value("jobrowid", as: Int64.self), queuedAt: try $0.value("queuedat", as: Double.self), version: try $0.value("version", as: Int64.self)) }
        }
        guard !claimed.isEmpty else { return own }
        let taken = try read { session in try session.pendingResults(claimed.sorted { ($0.queuedAt, $0.rowID) < ($1.queuedAt, $1.rowID) }) }
        return own + taken
    }

    /// An outbox row (`o`) whose intake instance is unknown or silent for
    /// `silence` (a parameter, in seconds): no `instance` row, or its
    /// heartbeat older.
    private static func orphanedResult(silence: String) -> String {
        """
        (o.instance IS NULL OR NOT EXISTS (
            SELECT 1 FROM instance i WHERE i.name = o.instance AND i.heartbeatAt > \(databaseNow) - \(silence)))
        """
    }

    /// Empties this instance's own rows only (it has no `[results] dir`):
    /// another instance's, live or gone, are that one's or a drainer's with
    /// a directory. Looks first on the reading connection, so the drainer's
    /// poll takes the writing one only when there is something to delete.
    public func discardPendingResults() throws {
        let any = try read { session in
            try session.scalar(Bool.self, "SELECT EXISTS (SELECT 1 FROM resultOutbox WHERE instance = $1)", [settings.instance]) ?? false
        }
        guard any else { return }
        _ = try write { session in try session.execute("DELETE FROM resultOutbox WHERE instance = $1", [settings.instance]) }
    }

    public func pendingResultCount() throws -> Int {
        try read { session in Int(try session.scalar(Int64.self, "SELECT COUNT(*) FROM resultOutbox") ?? 0) }
    }

    /// `onCommit` after every commit, on any instance, that queued a
    /// results file: the schema's trigger notifies `callspool_results`,
    /// which PostgreSQL delivers at commit only.
    public func observeQueuedResults(_ onCommit: @escaping @Sendable () -> Void) -> any Sendable {
        notifications.observe(PostgresSchema.resultsChannel, onCommit)
    }
}

extension PostgresSession {
    func attempts(of rowID: Int64) throws -> [AttemptRecord] {
        try records(AttemptRecord.self, "SELECT * FROM attempt WHERE jobRowId = $1 ORDER BY n", [rowID])
    }

    /// The jobs and attempts of `entries`, in their order, in two queries
    /// whatever their number (a row per job cost the webhook queueing half
    /// its rate); an entry whose job is gone is left out.
    func pendingResults(_ entries: [OutboxEntry]) throws -> [PendingResult] {
        guard !entries.isEmpty else { return [] }
        let ids = PostgresInt64Array(entries.map(\.rowID))
        let jobs = Dictionary(
            try records(JobRecord.self, "SELECT * FROM job WHERE id = ANY($1::bigint[])", [ids]).compactMap { job in job.rowId.map { ($0, job) } },
            uniquingKeysWith: { first, _ in first })
        let attempts = Dictionary(
            grouping: try records(AttemptRecord.self, "SELECT * FROM attempt WHERE jobRowId = ANY($1::bigint[]) ORDER BY jobRowId, n", [ids]),
            by: \.jobRowId)
        return entries.compactMap { entry in
            jobs[entry.rowID].map { PendingResult(job: $0, attempts: attempts[entry.rowID] ?? [], queuedAt: entry.queuedAt, version: entry.version) }
        }
    }
}

/// One `resultOutbox` row as the drainer first reads it.
struct OutboxEntry {
    var rowID: Int64
    var queuedAt: Double
    var version: Int64
}
