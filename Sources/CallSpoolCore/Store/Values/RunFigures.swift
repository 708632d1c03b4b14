import Foundation
import VoiceCallAPI

/// What a finished demo (or any run) did, in figures: outcomes, digits,
/// retries and the platform's push-backs, read from jobs and attempts.
public struct RunFigures: Sendable, Equatable {
    public var states: [String: Int] = [:]
    public var outcomes: [String: Int] = [:]
    /// Digit strings (comma-joined per job) and how many jobs collected them.
    public var digits: [String: Int] = [:]
    public var requests = 0
    public var calls = 0
    /// Jobs sent more than once (redial or requeue).
    public var jobsRetried = 0
    /// Jobs that were called more than once (redial policy).
    public var jobsRedialled = 0
    /// Refused or unanswered requests by class and code (`ports 1020154`).
    public var pushBacks: [String: Int] = [:]

    public init() {}
}
