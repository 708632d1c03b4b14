import Foundation
import GRDB

/// A row of `callEvent`: one status push, kept by sessionId even before the
/// attempt that owns the session is known.
public struct CallEventRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "callEvent"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

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

    public enum Columns {
        public static let sessionId = Column(CodingKeys.sessionId)
        public static let jobRowId = Column(CodingKeys.jobRowId)
        public static let applied = Column(CodingKeys.applied)
        public static let id = Column(CodingKeys.id)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
