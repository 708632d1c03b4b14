import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// Writes and removes a row in one transaction: it succeeds only when
    /// the store can take writes again (WAL frames need space).
    public func probeWrite(now: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO pause (scope, reason, code, until, createdAt) VALUES ('probe:storage', 'storage probe', NULL, ?, ?)",
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
            try db.execute(sql: "DELETE FROM pause WHERE scope = 'probe:storage'")
        }
    }

}
