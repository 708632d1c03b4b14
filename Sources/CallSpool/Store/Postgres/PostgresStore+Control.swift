import Foundation
import PostgresNIO

extension PostgresStore {
    public func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try write { session in try session.setPause(scope, reason: reason, code: code, until: until, now: now) }
    }

    public func clearPause(_ scope: PauseScope) throws {
        try write { session in try session.clearPause(scope) }
    }

    public func activePauses(now: Date) throws -> [PauseScope: PauseRecord] {
        try read { session in try session.activePauses(now: now) }
    }

    public func deleteEndedPauses(now: Date) throws {
        _ = try write { session in try session.execute("DELETE FROM pause WHERE until IS NOT NULL AND until <= $1", [now]) }
    }

    public func pauses() throws -> [PauseRecord] {
        try read { session in try session.records(PauseRecord.self, "SELECT * FROM pause ORDER BY scope") }
    }

    public func halts() throws -> [HaltRecord] {
        try read { session in try session.records(HaltRecord.self, "SELECT * FROM appHalt ORDER BY since, app") }
    }

    public func halt(app: String) throws -> HaltRecord? {
        try read { session in try session.record(HaltRecord.self, "SELECT * FROM appHalt WHERE app = $1", [app]) }
    }

    public func request(_ intent: ControlIntent, now: Date) throws -> Int64 {
        let argument = try intent.encoded()
        return try write { session in
            try session.scalar(
                Int64.self, "INSERT INTO intent (kind, argument, createdAt) VALUES ($1, $2, $3) RETURNING id", [intent.kind, argument, now]) ?? 0
        }
    }

    public func pendingIntents() throws -> [IntentRecord] {
        try read { session in try session.records(IntentRecord.self, "SELECT * FROM intent WHERE appliedAt IS NULL ORDER BY id") }
    }

    public func intent(id: Int64) throws -> IntentRecord? {
        try read { session in try session.record(IntentRecord.self, "SELECT * FROM intent WHERE id = $1", [id]) }
    }

    /// Applies every pending intent, each in its own transactions, and
    /// records what it did (as the SQLite store does).
    public func applyPendingIntents(now: Date, retryTTL: (JobType) -> Duration) throws -> [String] {
        var summaries: [String] = []
        for record in try pendingIntents() {
            guard let id = record.id else { continue }
            let summary: String
            do {
                summary = try apply(try ControlIntent.decode(record.argument), now: now, retryTTL: retryTTL)
            } catch let error as PostgresStoreError {
                throw error
            } catch {
                summary = "not applied: \(error)"
            }
            try write { session in
                _ = try session.execute("UPDATE intent SET appliedAt = $1, result = $2 WHERE id = $3", [now, summary, id])
            }
            summaries.append(summary)
        }
        return summaries
    }

    private func apply(_ intent: ControlIntent, now: Date, retryTTL: (JobType) -> Duration) throws -> String {
        switch intent {
        case .cancel(let ids, let campaign):
            return try cancel(ids: ids, campaign: campaign, now: now)
        case .retry(let ids, let state, let campaign):
            return try retry(ids: ids, state: state, campaign: campaign, now: now, retryTTL: retryTTL)
        case .pause(let campaign):
            return try write { session in
                if let campaign {
                    let changed = try session.changes("UPDATE campaign SET paused = true WHERE name = $1", [campaign])
                    return changed > 0 ? "paused campaign \(campaign)" : "no campaign \(campaign)"
                }
                try session.setPause(.global, reason: "paused by operator", code: nil, until: nil, now: now)
                return "paused all dispatch"
            }
        case .resume(let campaign):
            return try write { session in
                if let campaign {
                    let changed = try session.changes("UPDATE campaign SET paused = false WHERE name = $1", [campaign])
                    return changed > 0 ? "resumed campaign \(campaign)" : "no campaign \(campaign)"
                }
                try session.execute("DELETE FROM pause WHERE scope = 'global' AND until IS NULL")
                return "resumed dispatch"
            }
        }
    }

    private func cancel(ids: [String], campaign: String?, now: Date) throws -> String {
        let finished = try read { session in
            let (clause, arguments) = Self.filter(ids: ids, campaign: campaign, states: JobState.allCases.filter(\.isTerminal))
            return Int(try session.scalar(Int64.self, "SELECT COUNT(*) FROM job WHERE \(clause)", arguments) ?? 0)
        }
        var canceled = 0
        try forEachPage(ids: ids, campaign: campaign, state: .queued) { jobs, session in
            for var job in jobs {
                job.errorDesc = "canceled by operator"
                try session.transition(&job, to: .canceled, now: now)
                canceled += 1
            }
        }
        let flagged = try write { session in
            let (clause, arguments) = Self.filter(ids: ids, campaign: campaign, states: [.dispatching, .inCall, .unknown])
            return try session.changes("UPDATE job SET cancelRequested = true WHERE \(clause)", arguments)
        }
        return "canceled \(canceled) queued jobs; \(flagged) in progress will not be redialed; \(finished) already finished"
    }

    private func retry(ids: [String], state: JobState?, campaign: String?, now: Date, retryTTL: (JobType) -> Duration) throws -> String {
        let states: [JobState] = state.map { [$0] } ?? [.failed, .unknown, .expired]
        var tally = RetryTally()
        for state in states {
            try forEachPage(ids: ids, campaign: campaign, state: state) { jobs, session in
                for var job in jobs {
                    try tally.take(&job, now: now, retryTTL: retryTTL) { try session.transition(&$0, to: .queued, now: now) }
                }
            }
        }
        return tally.summary
    }

    /// Pages of matching jobs in row order, each its own transaction (keyset paging).
    private func forEachPage(ids: [String], campaign: String?, state: JobState, _ body: ([JobRecord], PostgresSession) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let last: Int64? = try write { session in
                var (clause, arguments) = Self.filter(ids: ids, campaign: campaign, states: [state])
                arguments.append(after)
                let jobs = try session.lockedJobs(where: "\(clause) AND id > $\(arguments.bindings.count)", arguments, limit: AppDatabase.controlPageSize)
                guard !jobs.isEmpty else { return nil }
                try body(jobs, session)
                return jobs.last?.rowId
            }
            guard let last else { return }
            after = last
        }
    }

    /// A WHERE clause (`$1…`) and its arguments for jobs in `states` matching `ids`/`campaign`.
    static func filter(ids: [String], campaign: String?, states: [JobState]) -> (String, PostgresArguments) {
        var arguments = PostgresArguments()
        func parameter(_ value: String) -> String {
            arguments.append(value)
            return "$\(arguments.bindings.count)"
        }
        var clauses = ["state IN (\(states.map { parameter($0.rawValue) }.joined(separator: ", ")))"]
        if !ids.isEmpty { clauses.append("jobId IN (\(ids.map { parameter($0) }.joined(separator: ", ")))") }
        if let campaign { clauses.append("campaign = \(parameter(campaign))") }
        return (clauses.joined(separator: " AND "), arguments)
    }
}
