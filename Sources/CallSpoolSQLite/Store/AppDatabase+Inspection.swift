import GRDB

extension AppDatabase {
    /// Runs `body` in one read transaction of plain SQL (``SQLiteInspection``):
    /// for the tests' white-box checks; the daemon never uses it.
    package func read<T>(_ body: (SQLiteInspection) throws -> T) throws -> T {
        try writer.read { db in try body(SQLiteInspection(db: db)) }
    }

    /// Runs `body` in one write transaction of plain SQL, on the store's
    /// writer connection: committed when it returns, rolled back when it
    /// throws. For tests that plant or damage rows; the daemon never uses it.
    package func write<T>(_ body: (SQLiteInspection) throws -> T) throws -> T {
        try writer.write { db in try body(SQLiteInspection(db: db)) }
    }

    /// Whether reads run on connections of their own, apart from the writer
    /// (a WAL pool: a store on disk), rather than on the one connection of
    /// an in-memory store.
    package var readsApartFromWriter: Bool { writer is DatabasePool }
}
