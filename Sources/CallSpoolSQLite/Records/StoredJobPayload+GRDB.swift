import Foundation
import GRDB
import CallSpoolCore


extension StoredJobPayload: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { storedText.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredJobPayload? {
        String.fromDatabaseValue(dbValue).map { StoredJobPayload(storedText: $0) }
    }
}
