@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
import CallspoolTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// At start-up the daemon waits for a shared store that is down instead of
/// exiting (systemd would restart it every second and give up), and stops at
/// once on what waiting does not cure.
@Suite struct StoreStartupPolicyTests {
    @Test func theWaitsDoubleUpToFiveSeconds() {
        let startup = StoreStartup()
        let waits = (1...8).map { startup.delay(afterAttempt: $0) }
        #expect(waits == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5), .seconds(5)])
    }

    @Test func onlyAnOutageOfASharedStoreIsWaitedFor() {
        let down = PostgresStoreError.cannotConnect("postgresql://u@h:5432/d", "Connection refused")
        #expect(StoreStartup.outage(down, sharedStore: true)?.contains("PostgreSQL store unavailable") == true)
        #expect(StoreStartup.outage(PostgresStoreError.connectionLost("closed"), sharedStore: true) != nil)
        #expect(StoreStartup.outage(PostgresStoreError.timedOut(.seconds(10)), sharedStore: true) != nil)
        let shuttingDown = PostgresStatementError(message: "the database system is shutting down", sqlState: "57P03", statement: "SELECT 1")
        #expect(StoreStartup.outage(shuttingDown, sharedStore: true) != nil)
        // What time does not cure stops the daemon with its message.
        #expect(StoreStartup.outage(PostgresStoreError.refused("postgresql://u@h:5432/d", "password authentication failed"), sharedStore: true) == nil)
        #expect(StoreStartup.outage(PostgresStoreError.badURL("x", "y"), sharedStore: true) == nil)
        #expect(StoreStartup.outage(PostgresStoreError.newer("x", "pg99"), sharedStore: true) == nil)
        #expect(StoreStartup.outage(PostgresStatementError(message: "syntax", sqlState: "42601", statement: "x"), sharedStore: true) == nil)
        // A SQLite store is local: nothing to wait for.
        #expect(StoreStartup.outage(down, sharedStore: false) == nil)
    }

    @Test func aRefusalStillHaltsARunningDaemonLikeAnOutage() {
        // A password rotated under a running daemon pauses work until fixed;
        // it never fails the jobs that happen to be written at that moment.
        #expect(StorageFailure.reason(for: PostgresStoreError.refused("postgresql://u@h:5432/d", "password authentication failed")) != nil)
    }
}

@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct StoreStartupTests {
    static func configuration(url: String) throws -> CallSpoolCore.Configuration {
        try ConfigurationLoader(environment: [:]).parse(ConfigurationTests.minimal + "\n[store]\nurl = \"\(url)\"\n", file: "test.toml", purpose: .daemon)
    }

    /// The daemon started while its database takes no connections (as during
    /// a restart) waits, and starts once the database is back.
    @Test func aDatabaseThatTakesNoConnectionsIsWaitedFor() async throws {
        let cluster = try #require(PostgresCluster.shared)
        let url = try cluster.makeDatabase()
        let name = try PostgresStore.Settings(url: url, instance: "t").database
        try PostgresOutageTests.administer("ALTER DATABASE \(name) ALLOW_CONNECTIONS false")
        let waits = Mutex<[String]>([])
        let opened = try await StoreStartup().open(
            configuration: try Self.configuration(url: url), logger: Logger(label: "test"),
            onWaiting: { outage, _ in waits.withLock { $0.append(outage) } },
            sleep: { _ in
                // The database comes back while the daemon waits.
                try PostgresOutageTests.administer("ALTER DATABASE \(name) ALLOW_CONNECTIONS true")
            })
        let store = try #require(opened.database as? PostgresStore)
        defer { store.close() }
        #expect(waits.withLock { $0.count } == 1, "\(waits.withLock { $0 })")
        #expect(waits.withLock { $0.first?.contains("PostgreSQL store unavailable") } == true)
        #expect(opened.term != nil, "a shared store's writes are fenced by the dispatcher term")
        #expect(try store.pendingMigrations().isEmpty, "the store was migrated once it answered")
    }

    /// A database that does not exist is a configuration mistake: no wait.
    @Test func aMissingDatabaseStopsAtOnce() async throws {
        let cluster = try #require(PostgresCluster.shared)
        let url = cluster.url(database: "callspool_no_such_database")
        let waited = Mutex(0)
        let error = await #expect(throws: PostgresStoreError.self) {
            _ = try await StoreStartup().open(
                configuration: try Self.configuration(url: url), logger: Logger(label: "test"),
                onWaiting: { _, _ in waited.withLock { $0 += 1 } }, sleep: { _ in })
        }
        guard case .refused(_, let problem) = error else {
            Issue.record("expected a refusal, got \(String(describing: error))")
            return
        }
        #expect(problem.contains("3D000"), "\(problem)")
        #expect(waited.withLock { $0 } == 0)
    }
}
