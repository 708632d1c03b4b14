import Foundation

/// A row of `callEvent`: one status push, kept by sessionId even before the
/// attempt that owns the session is known.
public struct CallEventRecord: Codable, Sendable, Hashable {
    public var id: Int64?
    public var sessionId: String
    public var eventType: String
    public var receivedAt: Date
    public var timestamp: String?
    public var userData: String?
    public var digitInfo: String?
    public var stateCode: Int?
    public var stateDesc: String?
    public var body: String
    public var jobRowId: Int64?
    public var applied: Bool
    /// The application whose secret signed the push (nil: not checked, or
    /// stored before applications existed). Applied only to its own calls.
    public var app: String? = nil

}
