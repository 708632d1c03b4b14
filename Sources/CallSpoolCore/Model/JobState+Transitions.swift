/// The lifecycle graph of docs/states.md, as data. Every state change in the store
/// goes through ``JobState/checkTransition(to:)``; an edge not listed here is a
/// programming error, reported as ``IllegalTransition``.
extension JobState {
    public static let transitions: [JobState: Set<JobState>] = [
        // sent, expired before sending, canceled by the operator
        .queued: [.dispatching, .expired, .canceled],
        // accepted / retryable (requeue) / permanent failure / lost response or crash /
        // a backoff that would pass the expiry
        .dispatching: [.inCall, .queued, .failed, .unknown, .expired],
        // call ended / lease expired without disconnect or CDR / throttled after acceptance (requeued)
        .inCall: [.completed, .unknown, .queued],
        // reconciled by callbacks / `callspool retry --state unknown` / past its expiry
        .unknown: [.inCall, .completed, .queued, .expired],
        // redial policy
        .completed: [.queued],
        // `callspool retry`
        .failed: [.queued],
        .expired: [.queued],
        .canceled: [],
    ]

    public func canTransition(to next: JobState) -> Bool {
        Self.transitions[self]?.contains(next) ?? false
    }

    public func checkTransition(to next: JobState) throws(IllegalTransition) {
        guard canTransition(to: next) else { throw IllegalTransition(from: self, to: next) }
    }
}

/// A state change the lifecycle does not allow.
public struct IllegalTransition: Error, Sendable, Hashable, CustomStringConvertible {
    public var from: JobState
    public var to: JobState
    public var description: String { "illegal job transition \(from.rawValue) → \(to.rawValue)" }
}
