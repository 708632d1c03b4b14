import Foundation
import GRDB
import CallSpoolCore

extension AppStatusRecord: FetchableRecord, PersistableRecord, SQLiteRecord {
    public static let databaseTableName = "appStatus"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
}
