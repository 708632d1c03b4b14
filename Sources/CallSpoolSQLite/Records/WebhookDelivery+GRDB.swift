import CallSpoolCore
import Foundation
import GRDB

extension WebhookDelivery: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "webhookDelivery"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns {
        public static let id = Column("id")
        public static let webhook = Column("webhook")
        public static let state = Column("state")
        public static let nextAttemptAt = Column("nextAttemptAt")
    }
}
