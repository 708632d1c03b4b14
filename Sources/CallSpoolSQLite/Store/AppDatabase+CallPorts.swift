import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// The row ids of the jobs whose call holds a voice port: `in_call` jobs
    /// whose disconnect has not been applied.
    ///
    /// Exists because a `disconnect` without `stateCode` ends the call (the
    /// platform freed the port) but not the job: it stays `in_call` so the
    /// fee CDR can still give the outcome. Such a job has an applied
    /// `disconnect` event for its current sessionId; a disconnect with a code
    /// moves the job out of `in_call` at once, so it never shows here.
    public func portHoldingJobRowIds(app: String) throws -> Set<Int64> {
        try reader.read { db in try Self.portHoldingJobRowIds(app: app, in: db) }
    }

    static func portHoldingJobRowIds(app: String, in db: Database) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT id FROM job INDEXED BY job_state WHERE state = 'in_call' AND app = ?
            AND NOT EXISTS (SELECT 1 FROM callEvent WHERE callEvent.sessionId = job.sessionId
                AND callEvent.eventType = 'disconnect' AND callEvent.applied = 1)
            """), arguments: [app]))
    }
}
