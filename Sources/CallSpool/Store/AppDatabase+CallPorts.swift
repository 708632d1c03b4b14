import Foundation
import GRDB

extension AppDatabase {
    /// What a job that was disconnected without a `stateCode` says while it
    /// waits for its fee CDR.
    public static let awaitingFeeRecordDescription = "disconnected without stateCode; the outcome waits for the fee CDR"

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

    /// A disconnect that does not tell the outcome: the call is over and its
    /// port free, but the job stays `in_call` for the fee CDR (which the
    /// platform re-pushes; the disconnect is never re-sent). The call lease
    /// starts again from now, so the CDR has `limits.call_lease` to arrive;
    /// after that the job becomes `unknown` like any call whose lease ran
    /// out, and a later CDR still completes it. Returns the port-release
    /// signal (outcome nil), or nil when this is not the job's live call.
    static func awaitFeeRecord(jobRowId: Int64, sessionId: String, stateDesc: String?, now: Date, in db: Database) throws -> CallEndSignal? {
        guard var job = try fetchJob(jobRowId, in: db), job.sessionId == sessionId, job.state == .inCall else { return nil }
        job.stateCode = nil
        job.stateDesc = stateDesc.map { "\(awaitingFeeRecordDescription) (\($0))" } ?? awaitingFeeRecordDescription
        job.updatedAt = now
        try job.update(db)
        return CallEndSignal(jobRowId: jobRowId, sessionId: sessionId, outcome: nil, stateCode: nil, app: job.app)
    }
}
