@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Synchronization
import Testing

/// How a PostgreSQL write transaction is run again: whole, when the server
/// ended it for a lock conflict (a deadlock victim, a serialization
/// failure), also when the conflict surfaced inside one item's savepoint;
/// and with real savepoints when an item failed on the first, bare run.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct PostgresTransactionRerunTests {
    /// Raises SQLSTATE `code` the way the server reports a deadlock victim (40P01) or a serialization failure (40001).
    static func raise(_ code: String) -> String {
        "DO $$ BEGIN RAISE EXCEPTION 'conflict for the test' USING ERRCODE = '\(code)'; END $$"
    }

    static func store() throws -> PostgresStore {
        let cluster = try #require(PostgresCluster.shared)
        let store = try PostgresStore.open(PostgresStore.Settings(url: try cluster.makeDatabase(), instance: "t"))
        _ = try store.write { session in try session.execute("CREATE TABLE mark (run INTEGER NOT NULL, item TEXT NOT NULL)") }
        return store
    }

    static func marks(_ store: PostgresStore) throws -> [String] {
        try store.read { session in
            try session.rows("SELECT run, item FROM mark ORDER BY run, item").map { "\(try $0.value("run", as: Int.self)):\(try $0.value("item", as: String.self))" }
        }
    }

    /// Inserts each item in a savepoint of its own, counting a failure as
    /// the item's, as the store's batch operations do; `hook` runs inside.
    static func insert(_ items: [String], run: Int, in session: PostgresSession, _ hook: (String) throws -> Void) -> [String] {
        var failed: [String] = []
        for item in items {
            do {
                try session.savepoint {
                    try session.execute("INSERT INTO mark (run, item) VALUES ($1, $2)", [run, item])
                    try hook(item)
                }
            } catch {
                failed.append(item)
            }
        }
        return failed
    }

    @Test(arguments: ["40P01", "40001"])
    func aConflictRunsTheWholeTransactionAgainAndOnlyTheLastRunIsKept(code: String) throws {
        let store = try Self.store()
        defer { store.close() }
        let runs = Atomic<Int>(0)
        let answer = try store.write { session -> Int in
            let run = runs.add(1, ordering: .relaxed).newValue
            try session.execute("INSERT INTO mark (run, item) VALUES ($1, 'before')", [run])
            if run == 1 { try session.execute(Self.raise(code)) }
            return run
        }
        #expect(answer == 2)
        #expect(try Self.marks(store) == ["2:before"])
    }

    @Test func aConflictInsideAnItemsSavepointIsTheTransactionsNotTheItems() throws {
        let store = try Self.store()
        defer { store.close() }
        let runs = Atomic<Int>(0)
        let failedItems = try store.write { session -> [String] in
            let run = runs.add(1, ordering: .relaxed).newValue
            return Self.insert(["a", "b", "c"], run: run, in: session) { item in
                if item == "b", run == 1 { try session.execute(Self.raise("40P01")) }
            }
        }
        #expect(failedItems.isEmpty, "a deadlock was counted as one item's failure")
        #expect(try Self.marks(store) == ["2:a", "2:b", "2:c"])
    }

    @Test func anItemThatFailsBareIsUndoneAloneOnARunWithSavepoints() throws {
        let store = try Self.store()
        defer { store.close() }
        let runs = Atomic<Int>(0)
        struct Refused: Error {}
        let failedItems = try store.write { session -> [String] in
            let run = runs.add(1, ordering: .relaxed).newValue
            return Self.insert(["a", "b", "c"], run: run, in: session) { item in
                if item == "b" { throw Refused() }
            }
        }
        #expect(runs.load(ordering: .relaxed) == 2, "the bare run was committed")
        #expect(failedItems == ["b"])
        #expect(try Self.marks(store) == ["2:a", "2:c"])
    }

    @Test func aConflictThatPersistsIsTheCallersAfterTheRetries() throws {
        let store = try Self.store()
        defer { store.close() }
        let runs = Atomic<Int>(0)
        #expect(throws: PostgresStatementError.self) {
            try store.write { session in
                runs.add(1, ordering: .relaxed)
                try session.execute(Self.raise("40P01"))
            }
        }
        #expect(runs.load(ordering: .relaxed) == PostgresLink.conflictRetries + 1)
        #expect(try Self.marks(store).isEmpty)
    }
}
