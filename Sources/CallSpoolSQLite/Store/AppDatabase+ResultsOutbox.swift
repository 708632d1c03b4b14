import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// Up to `limit` jobs whose results file is still to be written, oldest first.
    public func pendingResults(limit: Int = 200) throws -> [PendingResult] {
        try reader.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT jobRowId, queuedAt, version FROM resultOutbox ORDER BY queuedAt, jobRowId LIMIT ?", arguments: [limit])
            return try rows.compactMap { row -> PendingResult? in
                let rowID: Int64 = row["jobRowId"]
                guard let job = try JobRecord.fetchOne(db, key: rowID) else { return nil }
                let attempts = try AttemptRecord.filter(AttemptRecord.Columns.jobRowId == rowID)
                    .order(AttemptRecord.Columns.n).fetchAll(db)
                return PendingResult(job: job, attempts: attempts, queuedAt: row["queuedAt"], version: row["version"])
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
