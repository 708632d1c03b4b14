import Foundation

extension StoreTransaction {
    /// Moves a job to `next`, checking the lifecycle graph, and writes it:
    /// the one place a job's state changes, on every store. It also stamps
    /// `updatedAt`/`finishedAt` and erases a verify job's code once terminal
    /// (``JobRecord/enter(_:now:)``).
    public func transition(_ job: inout JobRecord, to next: JobState, now: Date) throws {
        try job.enter(next, now: now)
        try write(job)
    }
}
