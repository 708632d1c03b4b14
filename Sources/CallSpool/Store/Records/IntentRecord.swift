import Foundation
import GRDB

/// A row of `intent`: a change asked for by the CLI (cancel, retry, pause,
/// resume) that the daemon applies and marks applied.
public struct IntentRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "intent"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var id: Int64?
    public var kind: String
    public var argument: String
    public var createdAt: Date
    public var appliedAt: Date?
    public var result: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
