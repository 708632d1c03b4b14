@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import CallSpoolCLI
import CallspoolTestSupport
import Foundation
import Logging
import Synchronization
import Testing
import VoiceCallAPI

/// A PostgreSQL outage is a storage halt, as a full disk is with SQLite:
/// recognised by error case and SQLSTATE, never by message text.
@Suite struct PostgresOutageClassificationTests {
    static func refused(_ sqlState: String) -> PostgresStatementError {
        PostgresStatementError(message: "any text at all", sqlState: sqlState, statement: "INSERT INTO job …")
    }

    @Test func aLostUnreachableOrSilentServerIsAStorageFailure() {
        #expect(StorageFailure.reason(for: PostgresStoreError.connectionLost("closed")) != nil)
        #expect(StorageFailure.reason(for: PostgresStoreError.cannotConnect("postgresql://u@h:5432/d", "refused")) != nil)
        #expect(StorageFailure.reason(for: PostgresStoreError.timedOut(.seconds(10))) != nil)
        let reason = StorageFailure.reason(for: PostgresStoreError.cannotConnect("postgresql://u@h:5432/d", "refused"))
        #expect(reason?.contains("postgresql://u@h:5432/d") == true, "the reason names the store")
    }

    @Test func whatIsNotAnOutageIsNotAStorageFailure() {
        #expect(StorageFailure.reason(for: PostgresStoreError.notLeader(instance: "a", epoch: 3)) == nil, "a deposed dispatcher is not a storage halt")
        #expect(StorageFailure.reason(for: PostgresStoreError.badURL("x", "y")) == nil)
        #expect(StorageFailure.reason(for: PostgresStoreError.outdated("x")) == nil)
        #expect(StorageFailure.reason(for: PostgresStoreError.newer("x", "pg9")) == nil)
        for state in ["23505", "40001", "40P01", "42P01", "57014", "22P02"] {
            #expect(StorageFailure.reason(for: Self.refused(state)) == nil, "\(state)")
        }
    }

    @Test func outageSQLStatesAreStorageFailuresWhateverTheMessage() {
        for state in ["53100", "53200", "53300", "53400", "53000", "57P01", "57P02", "57P03", "08006", "08001", "08003", "25006", "58030"] {
            let reason = StorageFailure.reason(for: Self.refused(state))
            #expect(reason?.contains("SQLSTATE \(state)") == true, "\(state): \(reason ?? "nil")")
        }
        #expect(StorageFailure.reason(for: Self.refused("53100"))?.contains("disk is full") == true)
    }

    @Test func aPostgreSQLOutageHaltsLikeAFullDiskAndEndsWhenWritesSucceed() {
        let health = StorageHealth()
        let now = Date()
        #expect(health.recordFailure(PostgresStoreError.connectionLost("closed"), at: now))
        #expect(health.pausesWork)
        #expect(health.current.reason?.hasPrefix("storage halt: PostgreSQL store unavailable") == true, "\(health.current.reason ?? "")")
        #expect(!health.recordFailure(PostgresStoreError.notLeader(instance: "a", epoch: 1), at: now))
        health.recordRecovered()
        #expect(!health.pausesWork)
    }
}

/// The same against the test cluster: the store's database stops taking
/// connections and its sessions are ended; the heartbeat's failure is a
/// storage halt, the monitor's probe keeps it while the database is away
/// and ends it when it is back.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct PostgresOutageTests {
    /// Runs `sql` on another database of the cluster (a database cannot
    /// close itself to connections from inside).
    static func administer(_ sql: String) throws {
        let cluster = try #require(PostgresCluster.shared)
        let admin = try PostgresStore.open(PostgresStore.Settings(url: try cluster.makeDatabase(), instance: "admin"))
        defer { admin.close() }
        _ = try admin.write { session in try session.execute(sql) }
    }

    @Test func anOutageIsAStorageHaltThatEndsWhenTheDatabaseIsBack() async throws {
        let cluster = try #require(PostgresCluster.shared)
        let store = try PostgresStore.open(PostgresStore.Settings(url: try cluster.makeDatabase(), timeout: .seconds(5), instance: "a"))
        defer { store.close() }
        let name = store.settings.database
        let health = StorageHealth(logger: Logger(label: "test"))
        let recovered = Mutex(0)
        let monitor = StorageMonitor(
            health: health, database: store, watched: [], minFree: 0, clock: SystemWallClock(),
            onRecovered: { recovered.withLock { $0 += 1 } }, logger: Logger(label: "test"))
        var heartbeat = HeartbeatService(database: store, interval: .milliseconds(50), clock: SystemWallClock(), version: "test")
        heartbeat.storage = health
        try await heartbeat.beatOnce()

        try Self.administer("ALTER DATABASE \(name) ALLOW_CONNECTIONS false")
        try Self.administer("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
        // The heartbeat goes on beating; its failures are a storage halt, not its end.
        let beating = Task { try await heartbeat.run() }
        defer { beating.cancel() }
        #expect(try await eventually(timeout: .seconds(10)) { health.pausesWork })
        #expect(health.current.writeFailure?.contains("PostgreSQL store unavailable") == true, "\(health.current.writeFailure ?? "")")
        await monitor.check()
        #expect(health.pausesWork, "the probe write fails while the database is away")
        #expect(recovered.withLock { $0 } == 0)

        try Self.administer("ALTER DATABASE \(name) ALLOW_CONNECTIONS true")
        await monitor.check()
        #expect(!health.pausesWork, "the probe write succeeds: the halt ends")
        #expect(recovered.withLock { $0 } == 1, "buffered callbacks, dispatch and intake are resumed")
        #expect(try store.pauses().isEmpty, "the probe leaves nothing behind")
        beating.cancel()
        try await beating.value  // a storage failure never ended the heartbeat (it would have thrown)
    }

    /// `status` from another host: the dispatcher's heartbeat stopped, and
    /// on a shared store that points at the database, not at a local disk.
    @Test func statusNamesTheDatabaseWhenTheDispatchersHeartbeatStopped() throws {
        let cluster = try #require(PostgresCluster.shared)
        let store = try PostgresStore.open(PostgresStore.Settings(url: try cluster.makeDatabase(), instance: "a"))
        defer { store.close() }
        let now = Date()
        try store.beat(HeartbeatRecord(pid: 1, startedAt: now, heartbeatAt: now, version: "t"))
        let plenty = StatusView.StorageCheck(watched: [], minFree: 0) { _ in 1 << 30 }
        #expect(try StatusView.load(from: store, portLimit: 10, now: now, storage: plenty).pauses.isEmpty)
        let stuck = try StatusView.load(from: store, portLimit: 10, now: now.addingTimeInterval(120), storage: plenty)
        let reason = try #require(stuck.pauses.first { $0.scope == "storage" }?.reason)
        #expect(reason.contains("heartbeat is 120 s old"), "\(reason)")
        #expect(reason.contains("cannot reach or write the database"), "\(reason)")
    }

    @Test func aRefusedPortIsAStorageFailureNamingTheStore() throws {
        let refused = try RefusedPort()
        defer { withExtendedLifetime(refused) {} }
        let port = refused.port
        let settings = try PostgresStore.Settings(url: "postgresql://callspool:secret@127.0.0.1:\(port)/callspool", timeout: .seconds(2), instance: "a")
        let error = try #require(throws: PostgresStoreError.self) { _ = try PostgresStore.open(settings) }
        let reason = try #require(StorageFailure.reason(for: error))
        #expect(reason.contains("127.0.0.1:\(port)"))
        #expect(!reason.contains("secret"), "the password is never shown")
    }
}
