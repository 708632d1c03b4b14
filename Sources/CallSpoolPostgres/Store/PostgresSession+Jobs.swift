import CallSpoolCore
import Foundation
import PostgresNIO

/// The job-row primitives of the PostgreSQL driver: read a job locked for
/// change, write it back whole.
extension PostgresSession {
    /// A job by row id, locked until the transaction ends (another
    /// instance's receiver or dispatcher waits rather than overwriting).
    func lockedJob(_ rowID: Int64) throws -> JobRecord? {
        try record(JobRecord.self, "SELECT * FROM job WHERE id = $1 FOR UPDATE", [rowID])
    }

    /// Writes every column of `job` (its row id picks the row). Held back and sent with the transaction's other job writes, ahead of
    /// its next statement (``PostgresRowBatch``).
    func update(_ job: JobRecord) throws {
        try batch.write(job)
    }
}
