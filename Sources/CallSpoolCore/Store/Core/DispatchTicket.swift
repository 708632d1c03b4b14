import Foundation
import VoiceCallAPI

/// A request about to be sent: the job was moved to `dispatching` and its
/// attempt row (with the userData that callbacks echo) was committed first.
public struct DispatchTicket: Sendable, Hashable {
    public var jobRowId: Int64
    public var jobId: String
    public var type: JobType
    public var attempt: Int
    public var userData: String
    public var calleeNbr: String
    public var displayNbr: String
    public var payload: JobPayload
    public var expiresAt: Date
    public var campaign: String?
    /// Whether `displayNbr` was chosen from the pool (another may be picked on retry).
    public var displayFromPool: Bool
}

/// What to do with a job whose request did not place a call.
public enum Disposition: Sendable, Hashable {
    case requeue(at: Date)
    case fail(code: String, description: String)
    case unknown(reason: String)
}
