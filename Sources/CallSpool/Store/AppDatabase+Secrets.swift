import Foundation
import GRDB

extension AppDatabase {
    /// Expires `unknown` jobs past their expiry, like queued ones: the call
    /// may have happened or not, but it will never be sent again, so a verify
    /// code has no use left and is erased. Returns the expired jobs' row ids.
    public func expireUnknownJobs(now: Date, limit: Int = 10_000) throws -> [Int64] {
        try writer.write { db in
            let jobs = try JobRecord.filter(sql: "state = 'unknown' AND expiresAt <= ?", arguments: [now.timeIntervalSince1970]).limit(limit).fetchAll(db)
            var ids: [Int64] = []
            for var job in jobs {
                job.noteExpiry("expired while its outcome was unknown (no answer or callback matched it)")
                try Self.transition(&job, to: .expired, now: now, in: db)
                if let id = job.rowId { ids.append(id) }
            }
            return ids
        }
    }

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
