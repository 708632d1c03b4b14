import Foundation
import GRDB

/// A row of `pause`: dispatch held back for a scope (`global`,
/// `campaign:<name>`, `display:<number>`, `callee:<number>`) until a time, or
/// until resumed when `until` is nil. Stored so a restart keeps it.
public struct PauseRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pause"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var scope: String
    public var reason: String
    public var code: String?
    public var until: Date?
    public var createdAt: Date

    public enum Columns {
        public static let scope = Column(CodingKeys.scope)
        public static let until = Column(CodingKeys.until)
    }
}
