import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// Copies the WAL into the database file and truncates it to zero bytes,
    /// so old page images (a verify code before its erasure) leave the disk.
    /// Returns false when readers kept part of the WAL (try again later).
    @discardableResult
    public func checkpointTruncatingWAL() throws -> Bool {
        try writer.writeWithoutTransaction { db in
            guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") else { return true }
            let busy: Int = row[0]
            return busy == 0
        }
    }
}
