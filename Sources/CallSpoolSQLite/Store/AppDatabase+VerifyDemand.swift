import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// Verify jobs that arrived since `date` (row id, arrival), so the verify
    /// reserve's demand survives a restart. At most `limit`, newest first.
    public func verifyArrivals(app: String, since date: Date, limit: Int = 100_000) throws -> [(Int64, Date)] {
        try reader.read { db in
            try Row.fetchAll(db, sql: "SELECT id, createdAt FROM job WHERE classRank = 0 AND app = ? AND createdAt > ? ORDER BY createdAt DESC LIMIT ?",
                arguments: [app, date.timeIntervalSince1970, limit])
                .map { row in (row["id"] as Int64, Date(timeIntervalSince1970: row["createdAt"] as Double)) }
        }
    }
}
