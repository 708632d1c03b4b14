import Foundation
import GRDB
import CallSpoolCore

extension HaltRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "appHalt"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
}
