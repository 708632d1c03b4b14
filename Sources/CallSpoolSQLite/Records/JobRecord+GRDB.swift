import Foundation
import GRDB
import CallSpoolCore

extension JobRecord: FetchableRecord, MutablePersistableRecord, SQLiteRecord {
    public static let databaseTableName = "job"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    /// Columns the query interface filters and orders on.
    public enum Columns {
        public static let rowId = Column(JobRecord.rowIdColumn)
        public static let jobId = Column("jobId")
        public static let type = Column("type")
        public static let classRank = Column("classRank")
        public static let campaign = Column("campaign")
        public static let priority = Column("priority")
        public static let state = Column("state")
        public static let outcome = Column("outcome")
        public static let calleeNbr = Column("calleeNbr")
        public static let sessionId = Column("sessionId")
        public static let expiresAt = Column("expiresAt")
        public static let nextAttemptAt = Column("nextAttemptAt")
        public static let createdAt = Column("createdAt")
        public static let app = Column("app")
    }

    /// The column of ``rowId``: the schema (never edited) names it `id`.
    static let rowIdColumn = "id"

    private struct ColumnKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.custom { column in
        ColumnKey(stringValue: column == rowIdColumn ? "rowId" : column)
    }

    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.custom { key in
        key.stringValue == "rowId" ? rowIdColumn : key.stringValue
    }

    /// JSON columns are written compact, with sorted keys (stable text for
    /// comparisons such as the results-outbox trigger on `digits`).
    public static func databaseJSONEncoder(for column: String) -> JSONEncoder { RecordJSONColumns.encoder() }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        rowId = inserted.rowID
    }
}
