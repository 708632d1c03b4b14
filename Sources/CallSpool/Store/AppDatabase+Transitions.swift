import Foundation
import GRDB

extension AppDatabase {
    /// Moves a job to `next`, checking the lifecycle graph, inside the caller's
    /// transaction. The one place a job's state changes: it also stamps
    /// `updatedAt`/`finishedAt` and erases a verify job's code once terminal.
    static func transition(_ job: inout JobRecord, to next: JobState, now: Date, in db: Database) throws {
        try job.enter(next, now: now)
        try job.update(db)
    }
}
