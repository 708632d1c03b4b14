import Foundation
import GRDB

/// One row of a ``SQLiteInspection`` query, in plain values: read by column
/// name (case-insensitive, the leftmost of that name, as SQLite and GRDB
/// resolve them) or by position. A missing column, or a value that does not
/// convert to the type asked for, throws ``SQLiteRowError`` naming it.
package struct SQLiteRow: Sendable, Hashable {
    /// The column names, in the query's order.
    package let columns: [String]
    /// The values, one per column.
    package let values: [SQLiteValue]

    init(_ row: Row) {
        columns = Array(row.columnNames)
        values = row.databaseValues.map(SQLiteValue.init)
    }

    /// The value of `column`, which must not be NULL.
    package func value<Value: SQLiteValueConvertible>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        try convert(self[column: column], column, as: type)
    }

    /// The value of `column`, nil when NULL.
    package func optional<Value: SQLiteValueConvertible>(_ column: String, as type: Value.Type = Value.self) throws -> Value? {
        let value = try self[column: column]
        return value.isNull ? nil : try convert(value, column, as: type)
    }

    /// The value at `index` (0: the first column), which must not be NULL.
    package func value<Value: SQLiteValueConvertible>(at index: Int, as type: Value.Type = Value.self) throws -> Value {
        try convert(self[index: index], "#\(index)", as: type)
    }

    /// The value at `index`, nil when NULL.
    package func optional<Value: SQLiteValueConvertible>(at index: Int, as type: Value.Type = Value.self) throws -> Value? {
        let value = try self[index: index]
        return value.isNull ? nil : try convert(value, "#\(index)", as: type)
    }

    /// Whether `column` holds NULL.
    package func isNull(_ column: String) throws -> Bool { try self[column: column].isNull }

    private subscript(column column: String) -> SQLiteValue {
        get throws {
            let wanted = column.lowercased()
            guard let index = columns.firstIndex(where: { $0.lowercased() == wanted }) else { throw SQLiteRowError.noColumn(column, columns) }
            return values[index]
        }
    }

    private subscript(index index: Int) -> SQLiteValue {
        get throws {
            guard values.indices.contains(index) else { throw SQLiteRowError.noColumn("#\(index)", columns) }
            return values[index]
        }
    }

    private func convert<Value: SQLiteValueConvertible>(_ value: SQLiteValue, _ column: String, as type: Value.Type) throws -> Value {
        guard let converted = Value(sqliteValue: value) else { throw SQLiteRowError.notConvertible(column, value, "\(Value.self)") }
        return converted
    }
}

/// A ``SQLiteRow`` read that could not be answered.
package enum SQLiteRowError: Error, Equatable, CustomStringConvertible {
    case noColumn(String, [String])
    case notConvertible(String, SQLiteValue, String)

    package var description: String {
        switch self {
        case .noColumn(let column, let columns): "no column \(column) in a row of \(columns)"
        case .notConvertible(let column, let value, let type): "column \(column) holds \(value), not a \(type)"
        }
    }
}
