@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

@Suite struct StoreTests {
    @Test func migratesFromEmptyToTheFullSchema() throws {
        let database = try AppDatabase.inMemory()
        let tables = try database.read { db in
            try db.column(String.self, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
        }
        #expect(tables == [
            "apiIdempotency", "appHalt", "appStatus", "attempt", "callEvent", "callbackNonce", "campaign", "cdr", "halt", "heartbeat", "intakeFile", "intent",
            "job", "pause", "resultOutbox", "suppression", "suppressionAudit", "webhookDelivery",
        ])
        let applied = try database.read { db in try db.appliedMigrations() }
        #expect(applied.count == SQLiteInspection.knownMigrations.count)
    }

    /// A job's events and an attempt's userData are looked up by index, as
    /// on PostgreSQL: without them `callspool job`, the unknown requeue and
    /// the soak's checker scanned every event once per job.
    @Test func eventsByJobAndAttemptsByUserDataUseAnIndex() throws {
        let database = try AppDatabase.inMemory()
        let plans = try database.read { db in
            try ["SELECT * FROM callEvent WHERE jobRowId = 1", "SELECT * FROM attempt WHERE userData = 'cs1.1.1'"].map { sql in
                try db.rows("EXPLAIN QUERY PLAN " + sql).map { try $0.value("detail", as: String.self) }.joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("USING INDEX callEvent_job"), "\(plans[0])")
        #expect(plans[1].contains("USING INDEX attempt_userdata"), "\(plans[1])")
    }

    @Test func fileStoreUsesWAL() throws {
        let dir = try TemporaryDirectory()
        let database = try AppDatabase.open(path: dir.path + "/sub/store.sqlite")
        let mode = try database.read { db in try db.scalar(String.self, "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// `status` and the other read-only commands write nothing (so they
    /// answer on a full disk and never wait on the daemon's write lock): a
    /// store closed by the daemon (no -wal, no -shm) reads, and writes fail.
    @Test func readOnlyOpenReadsAClosedStoreAndWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/store.sqlite"
        do {
            let database = try AppDatabase.open(path: path)
            try StoreFixtures.insertJob(database, id: "a")
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let readOnly = try AppDatabase.open(path: path, readonly: true)
        #expect(try readOnly.stateCounts()[.queued] == 1)
        #expect(throws: (any Error).self) { try readOnly.setPause(.global, reason: "x", code: nil, until: nil, now: Date()) }
    }

    @Test func schemaRejectsInvalidState() throws {
        let database = try AppDatabase.inMemory()
        try StoreFixtures.insertJob(database, id: "a")
        #expect(throws: SQLiteStatementError.self) {
            try database.write { db in try db.execute("UPDATE job SET state = 'done'") }
        }
    }

    @Test func duplicatesAreCountedNotQueued() throws {
        let database = try AppDatabase.inMemory()
        let now = Date()
        let first = try database.insertJobs([StoreFixtures.spec(id: "a"), StoreFixtures.spec(id: "b")], intakeKey: "one", sourceFile: "1.json", policy: .init(), now: now)
        #expect(first == IntakeBatchResult(accepted: 2, duplicates: 0))
        let second = try database.insertJobs([StoreFixtures.spec(id: "b"), StoreFixtures.spec(id: "c"), StoreFixtures.spec(id: "c")], intakeKey: "two", sourceFile: "2.json", policy: .init(), now: now)
        #expect(second.accepted == 1)
        #expect(second.duplicates == 2)
        #expect(second.duplicateIDs == ["b", "c"])
        #expect(try database.stateCounts()[.queued] == 3)
    }

    @Test func resumingTheSameFileCountsItsJobsAsAccepted() throws {
        let database = try AppDatabase.inMemory()
        let specs = [StoreFixtures.spec(id: "a"), StoreFixtures.spec(id: "b")]
        _ = try database.insertJobs(specs, intakeKey: "same", sourceFile: "f.json", policy: .init(), now: Date())
        let mark = try database.lastJobRowID()
        let again = try database.insertJobs(specs + [StoreFixtures.spec(id: "c"), StoreFixtures.spec(id: "c")], intakeKey: "same", sourceFile: "f.json", policy: .init(), now: Date(), resumedUpTo: mark)
        #expect(again == IntakeBatchResult(accepted: 3, duplicates: 1, duplicateIDs: ["c"]))
        #expect(try database.jobs().count == 3)
    }

    @Test func expiryFollowsTTLNotBeforeAndDefaults() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let policy = IntakePolicy(verifyTTL: .seconds(300), notifyTTL: .seconds(86_400))
        var spec = StoreFixtures.spec(id: "v", verifyCode: "12")
        #expect(policy.expiry(of: spec, now: now) == now.addingTimeInterval(300))
        spec.ttl = .seconds(60)
        spec.notBefore = now.addingTimeInterval(1000)
        #expect(policy.expiry(of: spec, now: now) == now.addingTimeInterval(1060))
        spec.expiresAt = now.addingTimeInterval(1030)
        #expect(policy.expiry(of: spec, now: now) == now.addingTimeInterval(1030))
        var notify = StoreFixtures.spec(id: "n")
        notify.expiresAt = now.addingTimeInterval(5)
        #expect(policy.expiry(of: notify, now: now) == now.addingTimeInterval(5))
    }

    @Test func campaignSummaryCountsStatesOutcomesAndDigits() throws {
        let database = try AppDatabase.inMemory()
        _ = try database.insertJobs(
            (0..<3).map { StoreFixtures.spec(id: "c\($0)", campaign: "flu") }, intakeKey: "k", sourceFile: "f", policy: .init(), now: Date())
        try database.write { db in
            try db.execute("UPDATE job SET state = 'completed', outcome = 'answered', digits = '[\"1\"]' WHERE jobId IN ('c0', 'c1')")
        }
        let summary = try #require(try database.campaignSummaries().first)
        #expect(summary.campaign == "flu")
        #expect(summary.total == 3)
        #expect(summary.states == ["completed": 2, "queued": 1])
        #expect(summary.outcomes == ["answered": 2])
        #expect(summary.digits == ["1": 2])
    }
}
