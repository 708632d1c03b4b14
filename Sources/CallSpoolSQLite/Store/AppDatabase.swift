import CallSpoolCore
import Foundation
import GRDB

/// The durable queue: every job, attempt, callback event and CDR, plus pauses,
/// halts, intents and the daemon heartbeat, in one SQLite file.
///
/// Wraps `any DatabaseWriter`: a WAL `DatabasePool` with a busy timeout in
/// production (the daemon and the CLI share the file), an in-memory
/// `DatabaseQueue` in tests. Each intent-named method is one transaction.
/// The schema holds the invariants (unique job ids, valid states, one CDR per
/// session) so no code path can break them.
public struct AppDatabase: Sendable {
    /// The one writer. Internal: everything outside this target goes through
    /// intent-named methods, each one transaction; the tests' and the soak
    /// checker's plain SQL through ``SQLiteInspection`` (``read(_:)``, ``write(_:)``).
    let writer: any DatabaseWriter

    init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// A store opened read-only: never migrated (that would be a write,
    /// which fails on a full disk and waits on the daemon's locks), so it
    /// must already be of this version.
    init(readOnly reader: any DatabaseWriter, path: String) throws {
        self.writer = reader
        guard try reader.read({ db in try Self.migrator.hasCompletedMigrations(db) }) else { throw StoreOpenError.outdated(path) }
    }

    /// Opens the store at `path`, in WAL mode with a busy timeout. The daemon
    /// (`readonly: false`) creates the file and its directory when missing;
    /// the read-only commands pass `readonly: true` and get
    /// ``StoreOpenError/missing(_:)`` instead, so a mistyped path is an error
    /// naming it rather than a new empty store. A read-only store writes
    /// nothing, so `status` answers on a full disk too.
    public static func open(path: String, readonly: Bool = false) throws -> AppDatabase {
        if readonly, !FileManager.default.fileExists(atPath: path) { throw StoreOpenError.missing(path) }
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.readonly = readonly
        configuration.prepareDatabase { db in
            guard !readonly else { return }
            // FULL: a commit is on disk before it returns, WAL or not. The
            // `dispatching` row must be durable before its request leaves, or
            // a power loss could bring the job back to `queued` and call the
            // person twice. (NORMAL in WAL mode may lose the last commits.)
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Deleted and overwritten content (an erased verify code) is
            // zeroed in the page, not left in free space. Set explicitly:
            // builds of SQLite differ in their default.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !readonly, !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        if readonly { return try AppDatabase(readOnly: pool, path: path) }
        // GRDB sets the writer to NORMAL when it enables WAL, after
        // prepareDatabase: set FULL again on the one writer connection.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        return try AppDatabase(pool)
    }

    /// A fresh in-memory store (tests, dry runs).
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue())
    }

    var reader: any DatabaseReader { writer }
}
extension AppDatabase: CallStore {}
