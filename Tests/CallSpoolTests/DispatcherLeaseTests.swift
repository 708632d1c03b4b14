@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Synchronization
import Testing
import VoiceCallAPI

/// The dispatcher lease on PostgreSQL: one holder at a time, a new epoch at
/// every takeover, taken only after the holder let it expire on the
/// database's clock, and every dispatch write of a deposed holder refused.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct DispatcherLeaseTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let policy = IntakePolicy(applications: [ApplicationRoute(name: "default", types: [.notify, .verify])])

    /// Two instances on one fresh database, each with its own term.
    static func pair(margin: Duration = .milliseconds(50)) throws -> (a: PostgresStore, aTerm: DispatcherTerm, b: PostgresStore, bTerm: DispatcherTerm) {
        let cluster = try #require(PostgresCluster.shared)
        let url = try cluster.makeDatabase()
        let aTerm = DispatcherTerm(margin: margin), bTerm = DispatcherTerm(margin: margin)
        let a = try PostgresStore.open(PostgresStore.Settings(url: url, instance: "a"), leadership: aTerm)
        let b = try PostgresStore.open(PostgresStore.Settings(url: url, instance: "b"), leadership: bTerm)
        return (a, aTerm, b, bTerm)
    }

    @Test func oneHolderAtATimeAndANewEpochAtEachTakeover() async throws {
        let (a, aTerm, b, bTerm) = try Self.pair()
        defer { a.close(); b.close() }
        #expect(try a.acquireLease(ttl: .milliseconds(400), term: aTerm) == 1)
        #expect(try b.acquireLease(ttl: .milliseconds(400), term: bTerm) == nil, "taken while another instance holds it")
        #expect(try a.renewLease(ttl: .milliseconds(400), term: aTerm))
        // a stops renewing: b takes over once the lease expired on the database's clock.
        #expect(try await eventually(timeout: .seconds(5), step: .milliseconds(50)) { try b.acquireLease(ttl: .seconds(30), term: bTerm) != nil })
        #expect(bTerm.epoch == 2)
        #expect(try a.renewLease(ttl: .milliseconds(400), term: aTerm) == false)
        #expect(!aTerm.isHeld)
        #expect(try b.dispatcherLease()?.holder == "b")
        try b.releaseLease(term: bTerm)
        #expect(try a.acquireLease(ttl: .seconds(30), term: aTerm) == 3, "a released lease is taken at once, with a new epoch")
    }

    @Test func aDeposedDispatcherChangesNothing() async throws {
        let (a, aTerm, b, bTerm) = try Self.pair()
        defer { a.close(); b.close() }
        _ = try a.insertJobs(
            [StoreFixtures.spec(id: "j1"), StoreFixtures.spec(id: "j2", callee: "+8613800000002")], intakeKey: "k", sourceFile: "f", policy: Self.policy,
            now: Self.now)
        // Without the lease, nothing is dispatched.
        #expect(throws: PostgresStoreError.self) { _ = try a.dispatchTransaction { tx in try tx.runnableJobs(app: "default", now: Self.now, limit: 10, verifyOnly: false) } }
        #expect(try a.acquireLease(ttl: .milliseconds(400), term: aTerm) != nil)
        let ticket = try a.dispatchTransaction { tx -> DispatchTicket? in
            guard var job = try tx.runnableJobs(app: "default", now: Self.now, limit: 1, verifyOnly: false).first else { return nil }
            return try tx.beginAttempt(&job, displayNbr: "+8675528000001", fromPool: false, now: Self.now)
        }
        #expect(ticket != nil)
        // b takes over after a's lease expired; a's next pass and its answer change nothing.
        #expect(try await eventually(timeout: .seconds(5), step: .milliseconds(50)) { try b.acquireLease(ttl: .seconds(30), term: bTerm) != nil })
        #expect(throws: PostgresStoreError.self) {
            _ = try a.dispatchTransaction { tx -> DispatchTicket? in
                guard var job = try tx.runnableJobs(app: "default", now: Self.now, limit: 1, verifyOnly: false).first else { return nil }
                return try tx.beginAttempt(&job, displayNbr: "+8675528000001", fromPool: false, now: Self.now)
            }
        }
        if let ticket {
            #expect(throws: PostgresStoreError.self) {
                _ = try a.dispatchTransaction { tx in
                    try tx.recordAcceptance(ticket, acceptance: CallAcceptance(sessionId: "s1", idlePort: 5), now: Self.now)
                }
            }
        }
        #expect(try b.stateCounts()[.dispatching] == 1)
        #expect(try b.stateCounts()[.queued] == 1)
        // The new dispatcher's first act: the older epoch's request becomes unknown, never re-sent.
        #expect(try b.recoverInterruptedDispatches(app: "default", now: Self.now) == 1)
        #expect(try b.jobDetail(id: ticket?.jobId ?? "")?.job.state == .unknown)
    }

    @Test func theLocalTermEndsBeforeTheDatabaseLease() throws {
        let clock = ManualInstant()
        let term = DispatcherTerm(margin: .seconds(5)) { clock.now }
        let (a, _, b, _) = try Self.pair()
        defer { a.close(); b.close() }
        let store = try PostgresStore.open(a.settings, leadership: term)
        defer { store.close() }
        #expect(try store.acquireLease(ttl: .seconds(10), term: term) != nil)
        #expect(term.isHeld)
        // On this instance's own clock, past the lease minus the margin: it
        // stops (requests and dispatch writes) whatever the database says.
        clock.advance(.seconds(6))
        #expect(!term.isHeld)
        #expect(throws: PostgresStoreError.self) { _ = try store.dispatchTransaction { tx in try tx.pausedCampaigns() } }
    }
}

/// A monotonic instant moved by hand.
final class ManualInstant: Sendable {
    private let current = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { current.withLock { $0 } }
    func advance(_ duration: Duration) { current.withLock { $0 += duration } }
}

/// Wake-ups across instances (NOTIFY at commit), and a lost listening
/// connection opened again by the next heartbeat.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct StoreWakeupTests {
    @Test func jobsQueuedOnOneInstanceWakeTheOtherAlsoAfterItsListenerWasLost() async throws {
        let (a, _, b, _) = try DispatcherLeaseTests.pair()
        defer { a.close(); b.close() }
        let wakes = Mutex(0)
        let token = a.observeWakeups { wakes.withLock { $0 += 1 } }
        // LISTEN is registered asynchronously: a notification before it is
        // lost (a hint; the dispatcher also polls), so b keeps queueing.
        #expect(try await eventually(timeout: .seconds(10)) {
            _ = try b.insertJobs(
                [StoreFixtures.spec(id: "w\(UUID().uuidString.prefix(6))")], intakeKey: UUID().uuidString, sourceFile: "f", policy: DispatcherLeaseTests.policy,
                now: DispatcherLeaseTests.now)
            return wakes.withLock { $0 } >= 1
        }, "no wake-up from the other instance's intake")
        // The listening connection dies; a's next heartbeat opens it again.
        #expect(try b.terminateListeningSessions() == 1)
        let before = wakes.withLock { $0 }
        #expect(try await eventually(timeout: .seconds(10)) {
            try a.beat(HeartbeatRecord(pid: 1, startedAt: DispatcherLeaseTests.now, heartbeatAt: DispatcherLeaseTests.now, version: "t"), apps: [])
            _ = try b.insertJobs(
                [StoreFixtures.spec(id: "w\(UUID().uuidString.prefix(6))")], intakeKey: UUID().uuidString, sourceFile: "f", policy: DispatcherLeaseTests.policy,
                now: DispatcherLeaseTests.now)
            return wakes.withLock { $0 } > before
        }, "no wake-up after the listener was lost")
        withExtendedLifetime(token) {}
    }
}

/// An instance without a results directory leaves a shared store's queued
/// results files to the instances that have one (it used to discard them).
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct SharedResultsOutboxTests {
    @Test func anInstanceWithoutAResultsDirectoryDiscardsNothing() async throws {
        let (a, _, b, _) = try DispatcherLeaseTests.pair()
        defer { a.close(); b.close() }
        _ = try a.insertJobs([StoreFixtures.spec(id: "r1")], intakeKey: "k", sourceFile: "f", policy: DispatcherLeaseTests.policy, now: DispatcherLeaseTests.now)
        _ = try a.request(.cancel(ids: ["r1"], campaign: nil), now: DispatcherLeaseTests.now)
        _ = try a.applyPendingIntents(now: DispatcherLeaseTests.now) { _ in .seconds(60) }
        #expect(try a.pendingResultCount() == 1)
        let withoutDirectory = ResultsOutbox(database: b, directory: nil, logger: Logger(label: "test"))
        #expect(await withoutDirectory.drain() == 0)
        #expect(try a.pendingResultCount() == 1, "another instance's results file was discarded")
    }
}
