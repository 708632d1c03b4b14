import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// How a store file's schema compares with this version's.
    public enum SchemaState: Sendable, Equatable {
        case current
        /// Older: `callspool run` migrates it at start.
        case older
        /// Written by a newer callspool (unknown migrations).
        case newer
    }

    /// Opens the file at `path` read-only, without migrating it, and tells
    /// how its schema compares (for `callspool check`).
    public static func schemaState(path: String) throws -> SchemaState {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            if try migrator.hasBeenSuperseded(db) { return .newer }
            return try migrator.hasCompletedMigrations(db) ? .current : .older
        }
    }

    /// Why `error` means the store cannot be written now (full disk,
    /// read-only, I/O error), from SQLite's result code; nil otherwise.
    /// Why SQLite refuses data for good (``StoreRefusal``), or nil: a value
    /// too big, a constraint broken, a type or range mismatch.
    static func permanentRefusalReason(_ error: any Error) -> String? {
        guard let database = error as? DatabaseError else { return nil }
        switch database.resultCode {
        case .SQLITE_TOOBIG: return "the store refused it: a value too large for SQLite (SQLite \(database.resultCode.rawValue))"
        case .SQLITE_CONSTRAINT: return "the store refused it: a value that breaks a constraint of the schema (SQLite \(database.extendedResultCode.rawValue))"
        case .SQLITE_MISMATCH, .SQLITE_RANGE: return "the store refused it: a value of the wrong type (SQLite \(database.resultCode.rawValue))"
        default: return nil
        }
    }

    static func storageFailureReason(_ error: any Error) -> String? {
        guard let database = error as? DatabaseError else { return nil }
        switch database.resultCode {
        case .SQLITE_FULL: return "disk full (SQLite \(database.resultCode.rawValue))"
        case .SQLITE_READONLY: return "store is read-only (SQLite \(database.resultCode.rawValue))"
        case .SQLITE_IOERR: return "I/O error writing the store (SQLite \(database.extendedResultCode.rawValue))"
        case .SQLITE_CANTOPEN: return "cannot open the store's files (SQLite \(database.resultCode.rawValue))"
        default: return nil
        }
    }
}

extension DatabaseError: StoreErrorExplaining {
    public var storageFailureReason: String? { AppDatabase.storageFailureReason(self) }
    public var permanentRefusalReason: String? { AppDatabase.permanentRefusalReason(self) }
}
