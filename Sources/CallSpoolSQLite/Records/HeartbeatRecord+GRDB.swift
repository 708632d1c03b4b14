import Foundation
import GRDB
import CallSpoolCore

extension HeartbeatRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "heartbeat"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
}
