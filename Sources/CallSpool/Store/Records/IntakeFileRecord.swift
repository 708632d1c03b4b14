import Foundation
import GRDB

/// A row of `intakeFile`: a spool file whose jobs are all committed, with its
/// report. Committed with the file's last batch, so a crash before the file is
/// moved leads to a move, not a second intake.
public struct IntakeFileRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "intakeFile"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var intakeKey: String
    public var name: String
    /// Stored as JSON text (sorted keys).
    public var report: FileReport
    public var completedAt: Date

    public static func databaseJSONEncoder(for column: String) -> JSONEncoder { RecordJSONColumns.encoder() }
}
