import Foundation
import PostgresNIO

/// The job-row primitives every PostgreSQL store operation builds on: read
/// a job locked for change, write it back whole, move it through the
/// lifecycle (``JobRecord/enter(_:now:)``, the same rule as the SQLite store).
extension PostgresSession {
    /// A job by row id, locked until the transaction ends (another
    /// instance's receiver or dispatcher waits rather than overwriting).
    func lockedJob(_ rowID: Int64) throws -> JobRecord? {
        try record(JobRecord.self, "SELECT * FROM job WHERE id = $1 FOR UPDATE", [rowID])
    }

    /// Jobs matching `condition` (SQL after WHERE), locked for change.
    func lockedJobs(where condition: String, _ arguments: PostgresArguments, limit: Int? = nil) throws -> [JobRecord] {
        var sql = "SELECT * FROM job WHERE \(condition) ORDER BY id"
        if let limit { sql += " LIMIT \(limit)" }
        return try records(JobRecord.self, sql + " FOR UPDATE", arguments)
    }

    /// Writes every column of `job` (its row id picks the row). Held back and sent with the transaction's other job writes, ahead of
    /// its next statement (``PostgresRowBatch``).
    func update(_ job: JobRecord) throws {
        try batch.write(job)
    }

    /// Moves `job` to `next` (checking the lifecycle) and writes it.
    func transition(_ job: inout JobRecord, to next: JobState, now: Date) throws {
        try job.enter(next, now: now)
        try update(job)
    }
}
