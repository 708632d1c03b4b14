import Foundation
import GRDB

/// One queued results file: the job as it is now, and the queue stamp that
/// lets ``AppDatabase/clearResults(_:)`` leave a row re-queued meanwhile.
public struct PendingResult: Sendable {
    public var job: JobRecord
    public var attempts: [AttemptRecord]
    public var queuedAt: Double
}

extension AppDatabase {
    /// Up to `limit` jobs whose results file is still to be written, oldest first.
    public func pendingResults(limit: Int = 200) throws -> [PendingResult] {
        try reader.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT jobRowId, queuedAt FROM resultOutbox ORDER BY queuedAt, jobRowId LIMIT ?", arguments: [limit])
            return try rows.compactMap { row -> PendingResult? in
                let rowID: Int64 = row["jobRowId"]
                guard let job = try JobRecord.fetchOne(db, key: rowID) else { return nil }
                let attempts = try AttemptRecord.filter(AttemptRecord.Columns.jobRowId == rowID)
                    .order(AttemptRecord.Columns.n).fetchAll(db)
                return PendingResult(job: job, attempts: attempts, queuedAt: row["queuedAt"])
            }
        }
    }

    /// Removes written results from the outbox; a row queued again after it
    /// was read (different `queuedAt`) stays.
    public func clearResults(_ done: [(jobRowId: Int64, queuedAt: Double)]) throws {
        guard !done.isEmpty else { return }
        try writer.write { db in
            for item in done {
                try db.execute(
                    sql: "DELETE FROM resultOutbox WHERE jobRowId = ? AND queuedAt = ?", arguments: [item.jobRowId, item.queuedAt])
            }
        }
    }

    /// Empties the outbox (no results directory configured).
    public func discardPendingResults() throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM resultOutbox") }
    }
}
