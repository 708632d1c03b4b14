import Foundation

/// What happens to a job when its call ends (disconnect or CDR), as a pure
/// rule apart from the store, beside ``DispatchPolicy``: a call the platform
/// throttled after accepting it (7001–7003, 7109) is tried again later
/// without counting against the redial policy; an outcome the job's redial
/// policy names is called again while calls and time remain; anything else
/// completes the job.
enum CallEndingPolicy {
    /// How long a call the platform refused after accepting it waits before
    /// it is tried again.
    static let throttledRetryDelay: TimeInterval = 60

    enum Next: Equatable {
        /// Queued again at this time; `giveCallBack`: the call does not count.
        case retry(at: Date, giveCallBack: Bool)
        case complete
    }

    static func next(for job: JobRecord, outcome: Outcome, now: Date) -> Next {
        if outcome == .throttled, !job.cancelRequested {
            return .retry(at: now.addingTimeInterval(throttledRetryDelay), giveCallBack: true)
        }
        if let at = redialTime(for: job, outcome: outcome, now: now) { return .retry(at: at, giveCallBack: false) }
        return .complete
    }

    /// When to call again under the job's redial policy, or nil when the
    /// policy does not apply (no policy, outcome not listed, attempts used up,
    /// cancel pending, or the next try would fall at or after the expiry).
    static func redialTime(for job: JobRecord, outcome: Outcome, now: Date) -> Date? {
        guard !job.cancelRequested, let policy = job.redial, policy.on.contains(outcome), job.calls < policy.maxAttempts
        else { return nil }
        let at = now.addingTimeInterval(policy.interval.timeInterval)
        return at < job.expiresAt ? at : nil
    }
}
