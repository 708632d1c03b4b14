import Foundation
import GRDB

/// A row of `attempt`: one request sent (or about to be) for a job. Written
/// **before** the request goes out, so a crash leaves evidence of it.
public struct AttemptRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "attempt"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

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

    public enum Columns {
        public static let jobRowId = Column(CodingKeys.jobRowId)
        public static let n = Column(CodingKeys.n)
        public static let at = Column(CodingKeys.at)
        public static let calleeNbr = Column(CodingKeys.calleeNbr)
        public static let displayNbr = Column(CodingKeys.displayNbr)
        public static let sessionId = Column(CodingKeys.sessionId)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
