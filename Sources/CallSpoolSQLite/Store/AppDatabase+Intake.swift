import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// The highest job row id so far (0 when empty): intake notes it before a
    /// file so it can tell a job it queued in an earlier, interrupted run from a
    /// duplicate id within the file.
    public func lastJobRowID() throws -> Int64 {
        try reader.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM job") ?? 0 }
    }

    /// The report of a file already taken in, when intake finished before a crash.
    public func completedIntake(key: String) throws -> FileReport? {
        try reader.read { db in
            try IntakeFileRecord.fetchOne(db, key: key)?.report
        }
    }
}
