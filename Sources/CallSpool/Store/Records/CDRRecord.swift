import Foundation
import GRDB

/// A row of `cdr`: the fee record of one call, unique by sessionId, so the
/// platform's re-pushes change nothing.
public struct CDRRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cdr"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var sessionId: String
    public var receivedAt: Date
    public var body: String
    public var jobRowId: Int64?
    public var applied: Bool
    /// The application whose secret signed the push (nil: not checked).
    public var app: String? = nil

    public enum Columns {
        public static let sessionId = Column(CodingKeys.sessionId)
        public static let jobRowId = Column(CodingKeys.jobRowId)
    }
}
