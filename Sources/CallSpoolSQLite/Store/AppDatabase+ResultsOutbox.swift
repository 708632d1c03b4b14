import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// Up to `limit` jobs whose results file is still to be written, oldest
    /// first: the jobs and their attempts in one query each, however many.
    public func pendingResults(limit: Int = 200) throws -> [PendingResult] {
        try reader.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT jobRowId, queuedAt, version FROM resultOutbox ORDER BY queuedAt, jobRowId LIMIT ?", arguments: [limit])
            guard !rows.isEmpty else { return [] }
            let ids: [Int64] = rows.map { $0["jobRowId"] }
            let jobs = Dictionary(
                try JobRecord.fetchAll(db, keys: ids).compactMap { job in job.rowId.map { ($0, job) } }, uniquingKeysWith: { first, _ in first })
            let attempts = Dictionary(
                grouping: try AttemptRecord.filter(ids.contains(AttemptRecord.Columns.jobRowId))
                    .order(AttemptRecord.Columns.jobRowId, AttemptRecord.Columns.n).fetchAll(db),
                by: \.jobRowId)
            return rows.compactMap { row -> PendingResult? in
                let rowID: Int64 = row["jobRowId"]
                return jobs[rowID].map { PendingResult(job: $0, attempts: attempts[rowID] ?? [], queuedAt: row["queuedAt"], version: row["version"]) }
            }
        }
    }

    /// Empties the outbox (no results directory configured).
    public func discardPendingResults() throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM resultOutbox") }
    }

    /// How many results files wait to be written.
    public func pendingResultCount() throws -> Int {
        try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM resultOutbox") ?? 0 }
    }
}
