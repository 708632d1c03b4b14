import Foundation
import VoiceCallAPI

/// One job with everything known about it.
public struct JobDetail: Sendable {
    public var job: JobRecord
    public var attempts: [AttemptRecord]
    public var events: [CallEventRecord]
    public var cdrs: [CDRRecord]

    package init(job: JobRecord, attempts: [AttemptRecord], events: [CallEventRecord], cdrs: [CDRRecord]) {
        self.job = job
        self.attempts = attempts
        self.events = events
        self.cdrs = cdrs
    }
}
