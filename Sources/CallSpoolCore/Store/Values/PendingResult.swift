import Foundation
import VoiceCallAPI

/// One queued results file: the job as it is now, and the queue version that
/// lets ``AppDatabase/clearResults(_:)`` leave a row re-queued meanwhile.
public struct PendingResult: Sendable {
    public var job: JobRecord
    public var attempts: [AttemptRecord]
    public var queuedAt: Double
    /// Bumped each time the job is queued again (``AppDatabase/migrateResultsOutboxOneProducer(_:)``).
    public var version: Int64

    package init(job: JobRecord, attempts: [AttemptRecord], queuedAt: Double, version: Int64) {
        self.job = job
        self.attempts = attempts
        self.queuedAt = queuedAt
        self.version = version
    }
}
