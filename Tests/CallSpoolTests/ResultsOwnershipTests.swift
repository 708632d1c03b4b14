@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Testing

/// Several instances on one PostgreSQL database: a job's results file lands
/// in the `[results] dir` of the instance that took the job in, whichever
/// drains first; the files of an instance that stopped beating (or of a job
/// with no intake instance recorded) are taken over by a drainer with a
/// directory, each written once.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct ResultsOwnershipTests {
    static let policy = DispatcherLeaseTests.policy

    /// Instances named `names` on one fresh database, each with a live heartbeat.
    static func instances(_ names: [String]) throws -> [PostgresStore] {
        let cluster = try #require(PostgresCluster.shared)
        let url = try cluster.makeDatabase()
        let stores = try names.map { try PostgresStore.open(PostgresStore.Settings(url: url, instance: $0)) }
        for store in stores { try beat(store, at: Date()) }
        return stores
    }

    static func beat(_ store: PostgresStore, at time: Date) throws {
        try store.beat(HeartbeatRecord(pid: 1, startedAt: time, heartbeatAt: time, version: "test"))
    }

    /// Takes `ids` in on `store` and ends them (canceled), which queues their results files.
    static func finish(_ ids: [String], takenBy store: PostgresStore) throws {
        let specs = ids.enumerated().map { StoreFixtures.spec(id: $1, callee: "+86138000\(String(format: "%05d", $0))") }
        _ = try store.insertJobs(specs, intakeKey: UUID().uuidString, sourceFile: "f", policy: policy, now: Date())
        _ = try store.request(.cancel(ids: ids, campaign: nil), now: Date())
        _ = try store.applyPendingIntents(now: Date()) { _ in .seconds(60) }
    }

    static func files(in directory: TemporaryDirectory) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") })
    }

    static func names(_ ids: [String]) -> Set<String> { Set(ids.map(ResultFileName.forJob(id:))) }

    @Test func eachInstanceWritesTheFilesOfTheJobsItTookIn() async throws {
        let stores = try Self.instances(["a", "b"])
        let (a, b) = (stores[0], stores[1])
        defer { a.close(); b.close() }
        try Self.finish(["a1", "a2"], takenBy: a)
        try Self.finish(["b1"], takenBy: b)
        let aDir = try TemporaryDirectory(), bDir = try TemporaryDirectory()
        // b drains first: a's files stay queued for a.
        #expect(await ResultsOutbox(database: b, directory: bDir.path, logger: Logger(label: "test")).drain() == 1)
        #expect(try Self.files(in: bDir) == Self.names(["b1"]))
        #expect(try a.pendingResultCount() == 2)
        #expect(await ResultsOutbox(database: a, directory: aDir.path, logger: Logger(label: "test")).drain() == 2)
        #expect(try Self.files(in: aDir) == Self.names(["a1", "a2"]))
        #expect(try Self.files(in: bDir) == Self.names(["b1"]))
        #expect(try a.pendingResultCount() == 0)
    }

    @Test func anInstanceWithoutAResultsDirectoryEmptiesOnlyItsOwnRows() async throws {
        let stores = try Self.instances(["a", "b"])
        let (a, b) = (stores[0], stores[1])
        defer { a.close(); b.close() }
        try Self.finish(["a1"], takenBy: a)
        try Self.finish(["b1"], takenBy: b)
        #expect(await ResultsOutbox(database: b, directory: nil, logger: Logger(label: "test")).drain() == 0)
        #expect(try a.pendingResults().map(\.job.jobId) == ["a1"], "b's own row is emptied, a's is kept")
        // Not even the row of a silent instance: that is for a drainer with a directory.
        try Self.beat(a, at: Date() - 3600)
        #expect(await ResultsOutbox(database: b, directory: nil, logger: Logger(label: "test")).drain() == 0)
        #expect(try a.pendingResultCount() == 1)
    }

    @Test func theFilesOfAnInstanceThatStoppedBeatingAreTakenOver() async throws {
        let stores = try Self.instances(["a", "b", "c"])
        let (a, b, c) = (stores[0], stores[1], stores[2])
        defer { a.close(); b.close(); c.close() }
        try Self.finish(["a1"], takenBy: a)
        let bDir = try TemporaryDirectory()
        let bOutbox = ResultsOutbox(database: b, directory: bDir.path, logger: Logger(label: "test"))
        // a beat a minute ago: alive, its file waits for it.
        try Self.beat(a, at: Date() - 60)
        #expect(await bOutbox.drain() == 0)
        // a last beat eleven minutes ago: gone; b writes its file.
        try Self.beat(a, at: Date() - 660)
        #expect(await bOutbox.drain() == 1)
        #expect(try Self.files(in: bDir) == Self.names(["a1"]))
        #expect(try a.pendingResultCount() == 0)
        // An instance that never beat (no instance row) counts as gone too.
        let d = try PostgresStore.open(PostgresStore.Settings(url: try #require(PostgresCluster.shared).url(database: c.settings.database), instance: "d"))
        defer { d.close() }
        try Self.finish(["d1"], takenBy: d)
        #expect(await ResultsOutbox(database: c, directory: bDir.path, logger: Logger(label: "test")).drain() == 1)
        #expect(try Self.files(in: bDir) == Self.names(["a1", "d1"]))
    }

    @Test func twoDrainersTakingOverWriteEachFileOnce() async throws {
        let stores = try Self.instances(["a", "b", "c"])
        let (a, b, c) = (stores[0], stores[1], stores[2])
        defer { a.close(); b.close(); c.close() }
        let ids = (0..<40).map { "a\($0)" }
        try Self.finish(ids, takenBy: a)
        try Self.beat(a, at: Date() - 660)
        let bDir = try TemporaryDirectory(), cDir = try TemporaryDirectory()
        let bOutbox = ResultsOutbox(database: b, directory: bDir.path, logger: Logger(label: "test"))
        let cOutbox = ResultsOutbox(database: c, directory: cDir.path, logger: Logger(label: "test"))
        async let byB = bOutbox.drain()
        async let byC = cOutbox.drain()
        #expect(await byB + byC == 40)
        let (inB, inC) = (try Self.files(in: bDir), try Self.files(in: cDir))
        #expect(inB.isDisjoint(with: inC))
        #expect(inB.union(inC) == Self.names(ids))
        #expect(try a.pendingResultCount() == 0)
    }
}
