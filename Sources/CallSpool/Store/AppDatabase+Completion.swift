import Foundation
import GRDB

extension AppDatabase {
    /// Ends call `sessionId` of job `jobRowId` with `ending`, inside the
    /// caller's transaction; used by both the `disconnect` and the fee-CDR path.
    ///
    /// Acts only while that call is the job's live one (`in_call`, or `unknown`
    /// once reconciled, with `job.sessionId == sessionId`), so a second ending
    /// of the same call (disconnect then CDR) changes nothing and returns nil.
    /// Otherwise stores outcome, stateCode and stateDesc and moves the job as
    /// ``CallEndingPolicy`` says:
    /// * `throttled` → `queued` in a minute, the call not counted
    ///   against the redial policy (`calls` is given back);
    /// * an outcome the job's redial policy names, while `calls < maxAttempts`,
    ///   no cancel is pending and the next try falls before `expiresAt` →
    ///   `queued` at now + interval (the last call's outcome is kept);
    /// * otherwise `completed` (terminal; the results outbox is queued by the
    ///   schema's trigger).
    /// Returns the signal the dispatcher needs to free the port.
    static func endCall(jobRowId: Int64, sessionId: String, ending: CallEnding, now: Date, in db: Database) throws -> CallEndSignal? {
        guard var job = try fetchJob(jobRowId, in: db), job.sessionId == sessionId,
            job.state == .inCall || job.state == .unknown
        else { return nil }
        let next = job.recordEnding(ending, now: now)
        try transition(&job, to: next, now: now, in: db)
        return CallEndSignal(jobRowId: jobRowId, sessionId: sessionId, outcome: ending.outcome, stateCode: ending.stateCode, app: job.app)
    }
}
