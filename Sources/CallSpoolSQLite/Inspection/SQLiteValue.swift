import Foundation
import GRDB

/// One SQLite value, as the file stores it: what ``SQLiteInspection`` hands
/// out and takes, so that its callers never see a GRDB type.
package enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        case .blob(let value): value.databaseValue
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let value): self = .integer(value)
        case .double(let value): self = .real(value)
        case .string(let value): self = .text(value)
        case .blob(let value): self = .blob(value)
        }
    }

    package var isNull: Bool { self == .null }
}

/// A Swift value bound to a statement's `?` or read from a column, with
/// the store's own conversions (GRDB's: an integer reads as a `Bool`, a
/// blob as UTF-8 text; the JSON-valued column types as their JSON text).
package protocol SQLiteValueConvertible {
    var sqliteValue: SQLiteValue { get }
    /// Nil when the stored value does not convert (NULL included).
    init?(sqliteValue: SQLiteValue)
}

extension SQLiteValueConvertible where Self: DatabaseValueConvertible {
    package var sqliteValue: SQLiteValue { SQLiteValue(databaseValue) }

    package init?(sqliteValue: SQLiteValue) {
        guard let value = Self.fromDatabaseValue(sqliteValue.databaseValue) else { return nil }
        self = value
    }
}

extension String: SQLiteValueConvertible {}
extension Int64: SQLiteValueConvertible {}
extension Int: SQLiteValueConvertible {}
extension Double: SQLiteValueConvertible {}
extension Bool: SQLiteValueConvertible {}
extension Data: SQLiteValueConvertible {}
