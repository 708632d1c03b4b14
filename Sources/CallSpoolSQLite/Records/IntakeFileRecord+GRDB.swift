import Foundation
import GRDB
import CallSpoolCore

extension IntakeFileRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "intakeFile"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public static func databaseJSONEncoder(for column: String) -> JSONEncoder { RecordJSONColumns.encoder() }
}
