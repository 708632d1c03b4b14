import Foundation

/// A row of `cdr`: the fee record of one call, unique by sessionId, so the
/// platform's re-pushes change nothing.
public struct CDRRecord: Codable, Sendable, Hashable {
    public var sessionId: String
    public var receivedAt: Date
    public var body: String
    public var jobRowId: Int64?
    public var applied: Bool
    /// The application whose secret signed the push (nil: not checked).
    public var app: String? = nil

}
