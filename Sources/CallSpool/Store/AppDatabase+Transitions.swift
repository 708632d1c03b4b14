import Foundation
import GRDB

extension AppDatabase {
    /// Moves a job to `next`, checking the lifecycle graph, inside the caller's
    /// transaction. The one place a job's state changes: it also stamps
    /// `updatedAt`/`finishedAt` and erases a verify job's code once terminal.
    static func transition(_ job: inout JobRecord, to next: JobState, now: Date, in db: Database) throws {
        try job.state.checkTransition(to: next)
        job.state = next
        job.updatedAt = now
        if next.isTerminal {
            job.finishedAt = now
            if job.type == .verify {
                job.payload = job.payload.erasingVerifyCodes()
                SecretErasures.record()
            }
        } else {
            job.finishedAt = nil
        }
        try job.update(db)
    }
}
