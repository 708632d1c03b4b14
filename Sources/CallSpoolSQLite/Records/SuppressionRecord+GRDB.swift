import CallSpoolCore
import Foundation
import GRDB

extension SuppressionRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "suppression"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public enum Columns {
        public static let number = Column("number")
        public static let scope = Column("scope")
    }
}

extension SuppressionAuditRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "suppressionAudit"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns {
        public static let id = Column("id")
        public static let number = Column("number")
    }
}
