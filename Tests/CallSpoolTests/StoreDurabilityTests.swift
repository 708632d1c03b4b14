@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// The store commits durably: `synchronous = FULL`, so the `dispatching`
/// commit is on disk before a request leaves (with NORMAL in WAL mode a
/// power loss may undo it, and the job could be called again).
@Suite struct StoreDurabilityTests {
    @Test func everyConnectionOfTheStoreCommitsWithSynchronousFull() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-sync-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try AppDatabase.open(path: directory + "/store.sqlite")
        // 2 = FULL (0 OFF, 1 NORMAL, 3 EXTRA).
        let writing = try database.write { db in try db.scalar(Int.self, "PRAGMA synchronous") }
        let reading = try database.read { db in try db.scalar(Int.self, "PRAGMA synchronous") }
        #expect(writing == 2)
        #expect(reading == 2)
    }
}
