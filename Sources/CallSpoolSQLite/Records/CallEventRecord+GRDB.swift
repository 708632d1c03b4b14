import Foundation
import GRDB
import CallSpoolCore

extension CallEventRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "callEvent"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public enum Columns {
        public static let sessionId = Column("sessionId")
        public static let jobRowId = Column("jobRowId")
        public static let applied = Column("applied")
        public static let id = Column("id")
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
