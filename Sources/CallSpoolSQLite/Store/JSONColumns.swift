import CallSpoolCore
import Foundation
import GRDB

// How the JSON-valued columns of records are stored: as JSON text, read and
// written without `JSONEncoder`/`JSONDecoder` on every row.
//
// GRDB would store these `Codable` values as JSON on its own, but through a
// new Foundation coder per column and per row: for a campaign job with a
// window, a redial policy and `meta`, that was a quarter of dispatch
// throughput (Benchmarks/README.md, "Records"). A type that is
// `DatabaseValueConvertible` is read and written through that conformance
// instead, so a property of one of these types needs no code of its own:
// a new column is still a migration and a property.

// The one codec of each JSON-valued column (``StoredJSON``), as GRDB reads and writes it.
extension JSONValue: DatabaseValueConvertible, SQLiteValueConvertible {
    public var databaseValue: DatabaseValue { storedJSON.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> JSONValue? { String.fromDatabaseValue(dbValue).flatMap(fromStoredJSON) }
}

extension CallingWindow: DatabaseValueConvertible, SQLiteValueConvertible {
    public var databaseValue: DatabaseValue { storedJSON.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CallingWindow? { String.fromDatabaseValue(dbValue).flatMap(fromStoredJSON) }
}

extension RedialPolicy: DatabaseValueConvertible, SQLiteValueConvertible {
    public var databaseValue: DatabaseValue { storedJSON.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> RedialPolicy? { String.fromDatabaseValue(dbValue).flatMap(fromStoredJSON) }
}

/// The JSON coder of the records' remaining `Codable` columns (those not
/// converted above): GRDB's defaults, which its JSON decoder mirrors, with
/// sorted keys and slashes unescaped, so the stored text is stable (the
/// results-outbox trigger compares `digits` as text).
enum RecordJSONColumns {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dataEncodingStrategy = .base64
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.nonConformingFloatEncodingStrategy = .throw
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
