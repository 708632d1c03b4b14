import Foundation

/// A store whose rows `callspool store migrate` copies into another, read
/// table by table without knowing the source's library (the SQLite driver
/// implements it; the PostgreSQL driver writes what it reads).
package protocol CopySource {
    /// The source's daemon heartbeat (a copy refuses a store in use).
    func heartbeat() throws -> HeartbeatRecord?
    /// Calls `body` with the rows of `table` in batches of up to
    /// `batchSize`, in one read transaction; returns how many it read.
    func readRows(of table: String, batchSize: Int, _ body: ([CopiedRow]) throws -> Void) throws -> Int
}

/// One row read for a copy: its column names and values, in table order.
package struct CopiedRow: Sendable {
    package var columns: [String]
    package var values: [CopiedValue]

    package init(columns: [String], values: [CopiedValue]) {
        self.columns = columns
        self.values = values
    }
}

/// A column value as stored, whatever the store.
package enum CopiedValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}
