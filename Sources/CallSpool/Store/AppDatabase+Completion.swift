import Foundation
import GRDB

extension AppDatabase {
    /// How long a call the platform refused after accepting it (7001–7003,
    /// 7109) waits before it is tried again.
    public static let throttledRetryDelay: TimeInterval = 60

    /// Ends call `sessionId` of job `jobRowId` with `ending`, inside the
    /// caller's transaction; used by both the `disconnect` and the fee-CDR path.
    ///
    /// Acts only while that call is the job's live one (`in_call`, or `unknown`
    /// once reconciled, with `job.sessionId == sessionId`), so a second ending
    /// of the same call (disconnect then CDR) changes nothing and returns nil.
    /// Otherwise stores outcome, stateCode and stateDesc and moves the job:
    /// * `throttled` → `queued` in ``throttledRetryDelay``, the call not counted
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
        job.outcome = ending.outcome
        job.stateCode = ending.stateCode
        job.stateDesc = ending.stateDesc
        let next: JobState
        if ending.outcome == .throttled && !job.cancelRequested {
            job.calls = max(0, job.calls - 1)
            job.nextAttemptAt = now.addingTimeInterval(throttledRetryDelay)
            next = .queued
        } else if let retryAt = redialTime(for: job, outcome: ending.outcome, now: now) {
            job.nextAttemptAt = retryAt
            next = .queued
        } else {
            next = .completed
        }
        try transition(&job, to: next, now: now, in: db)
        return CallEndSignal(jobRowId: jobRowId, sessionId: sessionId, outcome: ending.outcome, stateCode: ending.stateCode, app: job.app)
    }

    /// When to call again under the job's redial policy, or nil when the policy
    /// does not apply (no policy, outcome not listed, attempts used up, cancel
    /// pending, or the next try would fall at or after the expiry).
    static func redialTime(for job: JobRecord, outcome: Outcome, now: Date) -> Date? {
        guard !job.cancelRequested, let text = job.redial,
            let policy = try? JSONDecoder().decode(RedialPolicy.self, from: Data(text.utf8)),
            policy.on.contains(outcome), job.calls < policy.maxAttempts
        else { return nil }
        let at = now.addingTimeInterval(policy.interval.timeInterval)
        return at < job.expiresAt ? at : nil
    }
}
