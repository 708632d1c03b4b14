import Foundation

/// A row of `attempt`: one request sent (or about to be) for a job. Written
/// **before** the request goes out, so a crash leaves evidence of it.
public struct AttemptRecord: Codable, Sendable, Hashable {
    public var id: Int64?
    public var jobRowId: Int64
    public var n: Int
    public var at: Date
    public var calleeNbr: String
    public var displayNbr: String?
    public var userData: String
    public var httpStatus: Int?
    public var resultcode: String?
    public var resultDesc: String?
    public var resultClass: String?
    public var sessionId: String?

}
