import Foundation
import GRDB

extension AppDatabase {
    /// Rows changed per transaction by cancel and retry.
    static let controlPageSize = 500

    func cancel(ids: [String], campaign: String?, now: Date) throws -> String {
        // Counted first: the jobs this cancel finishes are not "already finished".
        let finished = try reader.read { db in
            let (clause, arguments) = Self.filter(ids: ids, campaign: campaign, states: JobState.allCases.filter(\.isTerminal))
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE \(clause)", arguments: arguments) ?? 0
        }
        var canceled = 0
        try forEachPage(ids: ids, campaign: campaign, state: .queued) { jobs, db in
            for var job in jobs {
                job.errorDesc = "canceled by operator"
                try Self.transition(&job, to: .canceled, now: now, in: db)
                canceled += 1
            }
        }
        // A call in progress is not hung up; it just will not be redialed.
        let inProgress: [JobState] = [.dispatching, .inCall, .unknown]
        let flagged = try writer.write { db in
            let (clause, arguments) = Self.filter(ids: ids, campaign: campaign, states: inProgress)
            try db.execute(sql: "UPDATE job SET cancelRequested = 1 WHERE \(clause)", arguments: arguments)
            return db.changesCount
        }
        return "canceled \(canceled) queued jobs; \(flagged) in progress will not be redialed; \(finished) already finished"
    }

    func retry(ids: [String], state: JobState?, campaign: String?, now: Date, retryTTL: (JobType) -> Duration) throws -> String {
        let states: [JobState] = state.map { [$0] } ?? [.failed, .unknown, .expired]
        var tally = RetryTally()
        for state in states {
            try forEachPage(ids: ids, campaign: campaign, state: state) { jobs, db in
                for var job in jobs {
                    try tally.take(&job, now: now, retryTTL: retryTTL) { try Self.transition(&$0, to: .queued, now: now, in: db) }
                }
            }
        }
        return tally.summary
    }

    /// Calls `body` with successive pages of the jobs in `state` matching
    /// `ids`/`campaign`, in row order, each page in its own write transaction
    /// (keyset paging on the row id: every page is an index range, whatever
    /// the campaign's size).
    func forEachPage(ids: [String], campaign: String?, state: JobState, _ body: ([JobRecord], Database) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let last: Int64? = try writer.write { db in
                var request = JobRecord.filter(JobRecord.Columns.state == state.rawValue && JobRecord.Columns.rowId > after)
                if !ids.isEmpty { request = request.filter(ids.contains(JobRecord.Columns.jobId)) }
                if let campaign { request = request.filter(JobRecord.Columns.campaign == campaign) }
                let jobs = try request.order(JobRecord.Columns.rowId).limit(Self.controlPageSize).fetchAll(db)
                guard !jobs.isEmpty else { return nil }
                try body(jobs, db)
                return jobs.last?.rowId
            }
            guard let last else { return }
            after = last
        }
    }

    /// A WHERE clause (and its arguments) for jobs in `states` matching `ids`/`campaign`.
    static func filter(ids: [String], campaign: String?, states: [JobState]) -> (String, StatementArguments) {
        var clauses = ["state IN (\(states.map { _ in "?" }.joined(separator: ", ")))"]
        var arguments = StatementArguments(states.map(\.rawValue))
        if !ids.isEmpty {
            clauses.append("jobId IN (\(ids.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(ids)
        }
        if let campaign {
            clauses.append("campaign = ?")
            arguments += StatementArguments([campaign])
        }
        return (clauses.joined(separator: " AND "), arguments)
    }
}
