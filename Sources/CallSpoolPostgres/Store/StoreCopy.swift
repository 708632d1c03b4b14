import CallSpoolCore
import Foundation
import PostgresNIO

/// `callspool store migrate`: copies a stopped SQLite store into an empty
/// PostgreSQL database, row for row, and verifies it by counting.
///
/// Guarantees: nothing is written unless the target has no rows in any of
/// the copied tables; the whole copy is one PostgreSQL transaction (a
/// failure leaves the target empty); the source is opened read-only and
/// must not be in use by a running daemon (its heartbeat is fresh and its
/// process alive: refused); row ids are kept (results files and callbacks
/// name jobs by them) and the identity sequences continue after them.
public enum StoreCopy {
    /// The copied tables, parents first (foreign keys).
    static let tables = [
        "campaign", "job", "attempt", "callEvent", "cdr", "pause", "intakeFile", "intent", "resultOutbox", "callbackNonce", "appHalt",
        "appStatus", "suppression", "suppressionAudit", "webhookDelivery", "apiIdempotency",
    ]
    /// Columns stored as 0/1 by SQLite and as booleans by PostgreSQL.
    static let booleans: Set<String> = ["campaign.paused", "job.cancelRequested", "callEvent.applied", "cdr.applied"]
    /// Tables whose `id` is an identity column in PostgreSQL.
    static let identities = ["job", "attempt", "callEvent", "intent", "suppressionAudit", "webhookDelivery"]

    public enum CopyError: Error, CustomStringConvertible, Equatable {
        case sourceInUse(pid: Int, heartbeatAge: Int)
        case targetNotEmpty(table: String, rows: Int)
        case countMismatch(table: String, source: Int, target: Int)

        public var description: String {
            switch self {
            case .sourceInUse(let pid, let age):
                "the SQLite store is in use by a running daemon (pid \(pid), heartbeat \(age) s ago): stop it first (systemctl stop callspool)"
            case .targetNotEmpty(let table, let rows):
                "the PostgreSQL database is not empty (\(table) has \(rows) rows): migrate into a new, empty database"
            case .countMismatch(let table, let source, let target):
                "after the copy, \(table) has \(target) rows in PostgreSQL and \(source) in SQLite: nothing was committed"
            }
        }
    }

    /// Copies every row; returns the row count per table (as verified).
    package static func copy(from source: any CopySource, to target: PostgresStore, now: Date = Date()) throws -> [(table: String, rows: Int)] {
        if let beat = try source.heartbeat(), kill(pid_t(beat.pid), 0) == 0, now.timeIntervalSince(beat.heartbeatAt) < 30 {
            throw CopyError.sourceInUse(pid: beat.pid, heartbeatAge: Int(now.timeIntervalSince(beat.heartbeatAt)))
        }
        return try target.write { session in
            for table in tables {
                let rows = Int(try session.scalar(Int64.self, "SELECT COUNT(*) FROM \(table)") ?? 0)
                if rows > 0 { throw CopyError.targetNotEmpty(table: table, rows: rows) }
            }
            var counts: [(table: String, rows: Int)] = []
            for table in tables {
                let copied = try source.readRows(of: table, batchSize: 200) { rows in try insert(rows, into: table, session: session) }
                let stored = Int(try session.scalar(Int64.self, "SELECT COUNT(*) FROM \(table)") ?? 0)
                guard stored == copied else { throw CopyError.countMismatch(table: table, source: copied, target: stored) }
                counts.append((table, stored))
            }
            for table in identities {
                try session.execute("SELECT setval(pg_get_serial_sequence('\(table.lowercased())', 'id'), COALESCE((SELECT MAX(id) FROM \(table)), 0) + 1, false)")
            }
            return counts
        }
    }

    /// Inserts one batch of a table's rows in one statement.
    private static func insert(_ batch: [CopiedRow], into table: String, session: PostgresSession) throws {
        guard let first = batch.first else { return }
        var arguments = PostgresArguments()
        var tuples: [String] = []
        for row in batch {
            var marks: [String] = []
            for (column, value) in zip(first.columns, row.values) {
                arguments.append(bindable(value, boolean: booleans.contains("\(table).\(column)")))
                marks.append("$\(arguments.bindings.count)")
            }
            tuples.append("(" + marks.joined(separator: ", ") + ")")
        }
        let names = first.columns.map(PostgresSchema.quoted).joined(separator: ", ")
        try session.execute("INSERT INTO \(table) (\(names)) VALUES \(tuples.joined(separator: ", "))", arguments)
    }

    private static func bindable(_ value: CopiedValue, boolean: Bool) -> any PostgresBindable {
        switch value {
        case .null: return UntypedNull()
        case .integer(let number): return boolean ? (number != 0) as any PostgresBindable : number
        case .real(let number): return number
        case .text(let text): return text
        }
    }
}
