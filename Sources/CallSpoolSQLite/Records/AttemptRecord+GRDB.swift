import Foundation
import GRDB
import CallSpoolCore

extension AttemptRecord: FetchableRecord, MutablePersistableRecord, SQLiteRecord {
    public static let databaseTableName = "attempt"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public enum Columns {
        public static let jobRowId = Column("jobRowId")
        public static let n = Column("n")
        public static let at = Column("at")
        public static let calleeNbr = Column("calleeNbr")
        public static let displayNbr = Column("displayNbr")
        public static let sessionId = Column("sessionId")
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
