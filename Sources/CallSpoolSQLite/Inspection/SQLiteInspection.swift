import CallSpoolCore
import Foundation
import GRDB

/// Plain SQL on a store's SQLite file, in plain values, inside one
/// transaction (``AppDatabase/read(_:)``, ``AppDatabase/write(_:)``) or on a
/// file opened read-only (``reading(file:_:)``).
///
/// Exists so that the only target importing GRDB stays this one while code
/// elsewhere still needs the raw rows: white-box checks in the tests (what a
/// column holds, rows planted as an earlier version wrote them, data
/// corrupted on purpose, pragmas, the migrations applied), the soak
/// checker, which reads the store independently of the daemon's store code,
/// and the callback benchmark's count of stored events.
/// The daemon never uses it: it goes through ``AppDatabase``'s intent-named
/// methods. Shaped like the PostgreSQL driver's session (`execute`, `rows`,
/// `scalar`, `column`, `records`), so the tests read alike on both stores.
///
/// Arguments bind to the statement's `?` in order; a nil binds NULL. The
/// statements' own failures throw ``SQLiteStatementError``.
package struct SQLiteInspection {
    let db: Database

    /// Arguments of a statement, in the order of its `?`.
    package typealias Arguments = [(any SQLiteValueConvertible)?]

    /// Runs one or more statements (separated by `;`).
    package func execute(_ sql: String, _ arguments: Arguments = []) throws {
        try mapped(sql) { try db.execute(sql: sql, arguments: Self.bound(arguments)) }
    }

    /// Every row of a query.
    package func rows(_ sql: String, _ arguments: Arguments = []) throws -> [SQLiteRow] {
        try mapped(sql) { try Row.fetchAll(db, sql: sql, arguments: Self.bound(arguments)).map(SQLiteRow.init) }
    }

    /// The first row of a query, or nil.
    package func row(_ sql: String, _ arguments: Arguments = []) throws -> SQLiteRow? {
        try mapped(sql) { try Row.fetchOne(db, sql: sql, arguments: Self.bound(arguments)).map(SQLiteRow.init) }
    }

    /// The first column of the first row, or nil (no row, or NULL).
    package func scalar<Value: SQLiteValueConvertible>(_ type: Value.Type, _ sql: String, _ arguments: Arguments = []) throws -> Value? {
        try row(sql, arguments)?.optional(at: 0, as: type)
    }

    /// The first column of every row (none of them NULL).
    package func column<Value: SQLiteValueConvertible>(_ type: Value.Type, _ sql: String, _ arguments: Arguments = []) throws -> [Value] {
        try rows(sql, arguments).map { try $0.value(at: 0, as: type) }
    }

    /// Records of a query, decoded as the store decodes them.
    package func records<Record: SQLiteRecord>(_ type: Record.Type, _ sql: String, _ arguments: Arguments = []) throws -> [Record] {
        try mapped(sql) { try Record.fetchAll(db, sql: sql, arguments: Self.bound(arguments)) }
    }

    /// The first record of a query, or nil.
    package func record<Record: SQLiteRecord>(_ type: Record.Type, _ sql: String, _ arguments: Arguments = []) throws -> Record? {
        try mapped(sql) { try Record.fetchOne(db, sql: sql, arguments: Self.bound(arguments)) }
    }

    /// The record whose primary key is `key`, or nil (none, or no key).
    package func record<Record: SQLiteRecord>(_ type: Record.Type, key: Int64?) throws -> Record? {
        try Record.fetchOne(db, key: key)
    }

    /// Inserts `record` as the store writes it (its row id set afterwards).
    package func insert<Record: SQLiteRecord>(_ record: inout Record) throws {
        try record.insert(db)
    }

    /// Rewrites `record`'s row as the store writes it.
    package func update<Record: SQLiteRecord>(_ record: Record) throws {
        try record.update(db)
    }

    /// The store's own row operations in this same transaction: for moving
    /// a job the way the store core does between plain-SQL steps.
    package var store: SQLiteTransaction { SQLiteTransaction(db: db) }

    /// The names of the schema migrations applied to this file, in order.
    package func appliedMigrations() throws -> [String] {
        try AppDatabase.migrator.appliedMigrations(db)
    }

    /// The names of every migration this version knows, in order.
    package static var knownMigrations: [String] { AppDatabase.migrator.migrations }

    /// Runs `body` in one read transaction on the SQLite file at `path`,
    /// opened read-only on its own connection: not through ``AppDatabase``
    /// (no schema-version check, no store code), so a reader such as the
    /// soak checker sees the rows as they are.
    package static func reading<T>(file path: String, _ body: (SQLiteInspection) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in try body(SQLiteInspection(db: db)) }
    }

    /// An error as SQLite reports it with `code` (for checks of how the
    /// daemon classifies store failures).
    package static func error(_ code: ResultCode) -> any Error {
        DatabaseError(resultCode: GRDB.ResultCode(rawValue: code.rawValue))
    }

    /// The SQLite primary result codes the tests name.
    package enum ResultCode: Int32, Sendable {
        case readOnly = 8
        case ioError = 10
        case full = 13
        case constraint = 19
    }

    static func bound(_ arguments: Arguments) -> StatementArguments {
        StatementArguments(arguments.map { ($0?.sqliteValue ?? .null).databaseValue })
    }

    private func mapped<T>(_ sql: String, _ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as DatabaseError {
            throw SQLiteStatementError(error, statement: sql)
        }
    }
}

/// A statement SQLite refused: its result codes and message, the statement's
/// first line named (like the PostgreSQL driver's `PostgresStatementError`).
package struct SQLiteStatementError: Error, Sendable, CustomStringConvertible {
    /// The primary result code (19: a constraint, 1: an SQL error…).
    package var resultCode: Int32
    /// The extended result code (2067: a UNIQUE constraint…).
    package var extendedResultCode: Int32
    package var message: String
    package var statement: String

    init(_ error: DatabaseError, statement: String) {
        resultCode = error.resultCode.rawValue
        extendedResultCode = error.extendedResultCode.rawValue
        message = error.message ?? ""
        self.statement = statement
    }

    package var description: String {
        let head = statement.split(separator: "\n").first.map { String($0.prefix(80)) } ?? ""
        return "SQLite refused a statement: \(message) (code \(extendedResultCode); \(head.trimmingCharacters(in: .whitespaces)))"
    }
}
