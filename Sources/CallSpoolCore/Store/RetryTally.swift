import Foundation

/// What an operator's retry did, counted over every page it touched, and the
/// line that reports it: the same rule and the same words for every store.
struct RetryTally {
    /// Verify jobs a summary names one by one (the rest are counted).
    static let listedSkips = 20

    private(set) var retried = 0
    private var skipped: [String] = []
    private var skippedNotListed = 0

    /// Applies the retry rule (``JobRecord/prepareRetry(now:retryTTL:)``) to
    /// `job`; `requeue` stores it back in `queued` when it goes again.
    mutating func take(_ job: inout JobRecord, now: Date, retryTTL: (JobType) -> Duration, requeue: (inout JobRecord) throws -> Void) throws {
        switch job.prepareRetry(now: now, retryTTL: retryTTL) {
        case .skipErasedCode:
            if skipped.count < Self.listedSkips { skipped.append(job.jobId) } else { skippedNotListed += 1 }
        case .notRetryable:
            return
        case .requeue:
            try requeue(&job)
            retried += 1
        }
    }

    var summary: String {
        var summary = "requeued \(retried) jobs"
        if !skipped.isEmpty {
            summary += "; skipped \(skipped.map { "\($0) (verify code erased; submit a new job)" }.joined(separator: ", "))"
            if skippedNotListed > 0 { summary += " and \(skippedNotListed) more verify jobs whose code is erased" }
        }
        return summary
    }
}
