import GRDB

/// Plain SQL on the store (``SQLiteInspection``), for the tests' white-box
/// checks and the benchmarks' own counts: the daemon never uses these, it
/// goes through the intent-named methods.
extension AppDatabase {
    /// Runs `body` in one read transaction of plain SQL.
    package func read<T>(_ body: (SQLiteInspection) throws -> T) throws -> T {
        try writer.read { db in try body(SQLiteInspection(db: db)) }
    }

    /// Runs `body` in one write transaction of plain SQL, on the store's
    /// writer connection: committed when it returns, rolled back when it
    /// throws (rows planted or damaged on purpose, triggers, pragmas).
    package func write<T>(_ body: (SQLiteInspection) throws -> T) throws -> T {
        try writer.write { db in try body(SQLiteInspection(db: db)) }
    }

    /// ``read(_:)`` from async code: waits without holding a thread of the async runtime.
    package func read<T: Sendable>(_ body: @Sendable (SQLiteInspection) throws -> T) async throws -> T {
        try await writer.read { db in try body(SQLiteInspection(db: db)) }
    }

    /// ``write(_:)`` from async code: waits without holding a thread of the async runtime.
    package func write<T: Sendable>(_ body: @Sendable (SQLiteInspection) throws -> T) async throws -> T {
        try await writer.write { db in try body(SQLiteInspection(db: db)) }
    }

    /// A fresh in-memory store as an older version left it: migrated
    /// through `migration` (a name of ``migrator``), `plant` run on that
    /// schema (rows the older version wrote), then migrated to this
    /// version, as an upgraded daemon opens it. The upgrade tests' store,
    /// as `PostgresStore.open(_:migratingThrough:)` is PostgreSQL's.
    package static func inMemory(migratedThrough migration: String, then plant: (SQLiteInspection) throws -> Void) throws -> AppDatabase {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue, upTo: migration)
        try queue.write { db in try plant(SQLiteInspection(db: db)) }
        return try AppDatabase(queue)
    }

    /// Whether reads run on connections of their own, apart from the writer
    /// (a WAL pool: a store on disk), rather than on the one connection of
    /// an in-memory store.
    package var readsApartFromWriter: Bool { writer is DatabasePool }
}
