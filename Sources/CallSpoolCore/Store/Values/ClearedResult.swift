import Foundation
import VoiceCallAPI

/// A results file written (or skipped): the outbox row to remove, if it
/// still has the version that was read.
public struct ClearedResult: Sendable, Equatable {
    public var jobRowId: Int64
    public var version: Int64

    public init(jobRowId: Int64, version: Int64) {
        self.jobRowId = jobRowId
        self.version = version
    }
}
