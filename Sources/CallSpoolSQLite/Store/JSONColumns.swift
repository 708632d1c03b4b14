import CallSpoolCore
import Foundation
import GRDB
import Synchronization

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

/// `meta` and any free-form JSON: the compact text ``JSONValue/jsonText``
/// writes (sorted keys, as intake stores it), parsed with
/// ``JSONValue/parse(_:)``.
extension JSONValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { jsonText.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> JSONValue? {
        guard let text = String.fromDatabaseValue(dbValue) else { return nil }
        return try? JSONValue.parse(Data(text.utf8))
    }
}

/// A job's calling window: `{"end":"20:00","start":"09:00","tz":"Asia/Shanghai"}`.
extension CallingWindow: DatabaseValueConvertible {
    private static let stored = SharedJSONColumn<CallingWindow>()

    public var databaseValue: DatabaseValue {
        JSONValue.object(["start": .string(startText), "end": .string(endText), "tz": .string(timeZone)]).jsonText.databaseValue
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CallingWindow? { stored.value(from: dbValue) }
}

/// A job's redial policy: `{"interval":"10m","maxAttempts":3,"on":["busy","no_answer"]}`.
extension RedialPolicy: DatabaseValueConvertible {
    private static let stored = SharedJSONColumn<RedialPolicy>()

    public var databaseValue: DatabaseValue {
        JSONValue.object([
            "interval": .string(DurationText.format(interval)), "maxAttempts": .number(Double(maxAttempts)),
            "on": .array(on.map(\.rawValue).sorted().map(JSONValue.string)),
        ]).jsonText.databaseValue
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> RedialPolicy? { stored.value(from: dbValue) }
}

/// Values of a JSON column that many rows share (a campaign's jobs have one
/// calling window and one redial policy between them), decoded through
/// their `Decodable` conformance once per distinct text.
///
/// Bounded: past `limit` distinct texts it starts afresh. A text that does
/// not decode is not kept (reading it answers nil, and GRDB reports the row).
final class SharedJSONColumn<Value: Decodable & Sendable>: Sendable {
    private let decoded = Mutex<[String: Value]>([:])
    private let limit: Int

    init(limit: Int = 1_000) {
        self.limit = limit
    }

    func value(from dbValue: DatabaseValue) -> Value? {
        guard let text = String.fromDatabaseValue(dbValue) else { return nil }
        if let known = decoded.withLock({ $0[text] }) { return known }
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) else { return nil }
        decoded.withLock { values in
            if values.count >= limit { values.removeAll(keepingCapacity: true) }
            values[text] = value
        }
        return value
    }
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
