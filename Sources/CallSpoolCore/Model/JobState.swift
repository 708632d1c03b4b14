/// A job's place in its lifecycle (docs/states.md, contract names).
public enum JobState: String, Codable, Sendable, CaseIterable {
    case queued
    case dispatching
    case inCall = "in_call"
    case completed
    case failed
    case expired
    case canceled
    case unknown

    /// States a job never leaves on its own (only `callspool retry` or a
    /// redial policy moves it on).
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .expired, .canceled: true
        case .queued, .dispatching, .inCall, .unknown: false
        }
    }
}
