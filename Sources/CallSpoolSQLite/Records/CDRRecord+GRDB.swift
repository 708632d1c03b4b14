import Foundation
import GRDB
import CallSpoolCore

extension CDRRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cdr"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public enum Columns {
        public static let sessionId = Column("sessionId")
        public static let jobRowId = Column("jobRowId")
    }
}
