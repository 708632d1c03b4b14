import Foundation
import GRDB
import CallSpoolCore

extension PauseRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pause"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public enum Columns {
        public static let scope = Column("scope")
        public static let until = Column("until")
    }
}
