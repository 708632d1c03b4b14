import Foundation
import Synchronization

/// A value kept in a JSON-valued column (a job's `window`, `redial`,
/// `meta`), with one codec for every store and for intake: one text per
/// value (compact, sorted keys, so the stored text is stable), read back
/// through `Decodable` once per distinct text.
///
/// Exists so the SQLite driver (GRDB's `DatabaseValueConvertible`), the
/// PostgreSQL driver (its record coder) and the job-file pipeline (new rows,
/// ``JobSpecTexts``) cannot write the same value two ways.
public protocol StoredJSON: Sendable {
    /// The stored text of this value.
    var storedJSON: String { get }
    /// The value of a stored text, nil when it does not decode.
    static func fromStoredJSON(_ text: String) -> Self?
}

extension CallingWindow: StoredJSON {
    private static let stored = StoredJSONCache<CallingWindow>()

    public var storedJSON: String {
        JSONValue.object(["start": .string(startText), "end": .string(endText), "tz": .string(timeZone)]).jsonText
    }

    public static func fromStoredJSON(_ text: String) -> CallingWindow? { stored.value(of: text) }
}

extension RedialPolicy: StoredJSON {
    private static let stored = StoredJSONCache<RedialPolicy>()

    public var storedJSON: String {
        JSONValue.object([
            "interval": .string(DurationText.format(interval)), "maxAttempts": .number(Double(maxAttempts)),
            "on": .array(on.map(\.rawValue).sorted().map(JSONValue.string)),
        ]).jsonText
    }

    public static func fromStoredJSON(_ text: String) -> RedialPolicy? { stored.value(of: text) }
}

extension JSONValue: StoredJSON {
    public var storedJSON: String { jsonText }
    public static func fromStoredJSON(_ text: String) -> JSONValue? { try? JSONValue.parse(Data(text.utf8)) }
}

/// Decoded values of a JSON column by their stored text: campaign jobs
/// share a few distinct texts (one calling window and one redial policy
/// between thousands of rows), decoded through their `Decodable`
/// conformance once per distinct text.
///
/// Bounded: past `limit` distinct texts it starts afresh. A text that does
/// not decode is not kept (reading it answers nil).
final class StoredJSONCache<Value: Decodable & Sendable>: Sendable {
    private let decoded = Mutex<[String: Value]>([:])
    private let limit: Int

    init(limit: Int = 1_000) {
        self.limit = limit
    }

    func value(of text: String) -> Value? {
        if let known = decoded.withLock({ $0[text] }) { return known }
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) else { return nil }
        decoded.withLock { values in
            if values.count >= limit { values.removeAll(keepingCapacity: true) }
            values[text] = value
        }
        return value
    }
}

/// A job's `digits` column as reports count it: the keys of each
/// collection joined with commas (`["1","9"]` → `1,9`), one function for
/// both drivers' campaign summaries and figures. A text that is not an
/// array of strings is counted as itself, never dropped.
public enum StoredDigits {
    public static func joined(_ text: String) -> String {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8)))?.joined(separator: ",") ?? text
    }
}
