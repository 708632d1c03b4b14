@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
import Foundation
import Logging
import Synchronization
import Testing
import VoiceCallAPI

/// Answers refused because this instance's dispatcher lease looked short a
/// moment (a renewal late under load) are tried again, not dropped: dropped,
/// their jobs stayed `dispatching` while the same lease went on (found by the
/// 1-hour PostgreSQL soak: 4 jobs of 54,000).
@Suite struct AnswerRecordingRetryTests {
    struct Unrelated: Error {}

    /// Retries on a clock the test owns: each pause moves it on.
    static func retry(_ clock: ManualInstant, grace: Duration = .seconds(30)) -> AnswerRetry {
        AnswerRetry(interval: .seconds(1), leaseGrace: grace, now: { clock.now }, pause: { clock.advance($0) })
    }

    @Test func aLeaseRefusalIsTriedAgainUntilTheLeaseIsRenewed() async throws {
        let calls = Mutex(0)
        let clock = ManualInstant()
        try await DispatchService.keepRecording(storage: nil, logger: Logger(label: "test"), retry: Self.retry(clock)) {
            let call = calls.withLock { $0 += 1; return $0 }
            if call <= 2 { throw PostgresStoreError.notLeader(instance: "b", epoch: 0) }
        }
        #expect(calls.withLock { $0 } == 3, "recorded on the third try, once the term was renewed")
    }

    @Test func aLeaseThatStaysLostIsGivenUpAfterTheGrace() async throws {
        let calls = Mutex(0)
        let clock = ManualInstant()
        let start = clock.now
        await #expect(throws: PostgresStoreError.self) {
            try await DispatchService.keepRecording(storage: nil, logger: Logger(label: "test"), retry: Self.retry(clock)) {
                calls.withLock { $0 += 1 }
                throw PostgresStoreError.notLeader(instance: "b", epoch: 7)
            }
        }
        #expect(calls.withLock { $0 } == 31, "tried every second for the 30 s grace")
        #expect(clock.now - start == .seconds(30))
    }

    @Test func anotherErrorIsNotTriedAgain() async throws {
        let calls = Mutex(0)
        await #expect(throws: Unrelated.self) {
            try await DispatchService.keepRecording(storage: nil, logger: Logger(label: "test"), retry: Self.retry(ManualInstant())) {
                calls.withLock { $0 += 1 }
                throw Unrelated()
            }
        }
        #expect(calls.withLock { $0 } == 1)
        #expect(PostgresStoreError.connectionLost("x").isDispatcherLeaseRefusal == false)
    }
}

/// When the grace is over and the same term still goes on, the dispatcher
/// gives its term up: the lease is released and the next term (here this
/// instance's own, epoch 2) makes the job whose answer was refused
/// `unknown`. Before, the job stayed `dispatching` for as long as the term
/// lasted, and nobody made it `unknown`.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct DispatcherStepDownTests {
    /// This instance's monotonic clock, which the test can make jump ahead
    /// (a stall: the instance finds its term too short to act on) and come
    /// back (the stall is over).
    final class StallingInstant: Sendable {
        private let jump = Mutex(Duration.zero)
        var now: ContinuousClock.Instant { ContinuousClock.now + jump.withLock { $0 } }
        func stall(_ duration: Duration) { jump.withLock { $0 = duration } }
        func resume() { jump.withLock { $0 = .zero } }
    }

    /// Accepts every request, and stalls the instance's clock right after:
    /// the answer's recording is refused for want of the lease (epoch 0),
    /// while nothing ends the term (its renewal is minutes away).
    final class StallingPlacer: CallPlacer {
        let clock: StallingInstant
        let placed = Mutex<[String]>([])
        init(clock: StallingInstant) { self.clock = clock }

        func place(_ ticket: DispatchTicket, createdClock: CreatedClock) async -> CallAttemptResult {
            placed.withLock { $0.append(ticket.jobId) }
            clock.stall(.seconds(596))
            return .accepted(.init(sessionId: "s-\(ticket.jobId)", idlePort: nil))
        }
    }

    /// PostgreSQL's lease operations; taking the lease again ends the stall
    /// (the instance runs normally in its next term).
    final class ResumingLeases: DispatcherLeaseStore {
        let store: PostgresStore
        let clock: StallingInstant
        let released = Mutex(0)

        init(store: PostgresStore, clock: StallingInstant) {
            self.store = store
            self.clock = clock
        }

        func acquireLease(ttl: Duration, term: DispatcherTerm) throws -> Int64? {
            clock.resume()
            return try store.acquireLease(ttl: ttl, term: term)
        }

        func renewLease(ttl: Duration, term: DispatcherTerm) throws -> Bool { try store.renewLease(ttl: ttl, term: term) }

        func releaseLease(term: DispatcherTerm) throws {
            released.withLock { $0 += 1 }
            try store.releaseLease(term: term)
        }
    }

    static func settings() -> SchedulerSettings {
        let limits = Configuration.Limits(
            maxConcurrentCalls: 4, requestsPerSecond: 1000, perDisplayNumberPerMinute: 60, perCalleeMax: 3,
            perCalleeWindow: .seconds(86_400), verifyReservedPorts: 1, callLease: .seconds(600))
        let backoff = Configuration.Backoff(ports: .seconds(60), flow: .seconds(60), callee: .seconds(3600), halt: .seconds(300))
        let defaults = Configuration.Defaults(
            displayNumbers: ["+8675528000088"], verifyTTL: .seconds(300), notifyTTL: .seconds(86_400),
            window: CallingWindow(startMinute: 0, endMinute: 24 * 60, timeZone: "Asia/Shanghai"))
        var settings = SchedulerSettings(limits: limits, backoff: backoff, defaults: defaults, createdClock: .auto)
        settings.slowStart = false
        return settings
    }

    @Test func answersRefusedPastTheGraceEndTheTermAndTheNextTermMakesTheirJobUnknown() async throws {
        let (a, _, observer, _) = try DispatcherLeaseTests.pair()
        defer { a.close(); observer.close() }
        let stalling = StallingInstant()
        let term = DispatcherTerm(margin: .seconds(5)) { stalling.now }
        let store = try PostgresStore.open(a.settings, leadership: term)
        defer { store.close() }
        let wall = ManualClock()
        _ = try store.insertJobs([StoreFixtures.spec(id: "j1")], intakeKey: "k", sourceFile: "f", policy: DispatcherLeaseTests.policy, now: wall.now)

        let placer = StallingPlacer(clock: stalling)
        let scheduler = Scheduler(database: store, settings: Self.settings(), clock: wall, random: AnyRandom(SeededRandom(state: 7)))
        var dispatch = DispatchService(scheduler: scheduler, placer: placer, wakeup: Wakeup(), clock: wall)
        let retryClock = ManualInstant()
        dispatch.answerRetry = AnswerRecordingRetryTests.retry(retryClock)
        let leases = ResumingLeases(store: store, clock: stalling)
        // A lease of 10 minutes: no renewal (every third of it) comes during the test.
        let election = DispatcherElection(store: leases, term: term, dispatch: dispatch, ttl: .seconds(600), logger: Logger(label: "test"))
        let running = Task { try await election.run() }

        // Generous bounds: the database server is shared with every other
        // test. Without the step-down the job stays `dispatching` until the
        // term's first renewal, 200 s away.
        let sent = try await eventually(timeout: .seconds(60)) { placer.placed.withLock { !$0.isEmpty } }
        var recovered = false
        if sent { recovered = try await eventually(timeout: .seconds(60)) { try observer.jobDetail(id: "j1")?.job.state == .unknown } }
        let releasedWhileRunning = leases.released.withLock { $0 }  // a stop releases it too
        running.cancel()
        _ = await running.result
        let state = try observer.jobDetail(id: "j1")?.job.state.rawValue ?? "missing"
        #expect(recovered, "the job whose answer was refused is \(state), not unknown")
        #expect(placer.placed.withLock { $0 } == ["j1"], "sent once, never again")
        #expect(releasedWhileRunning == 1, "the lease was given up once, by the dispatcher that stepped down")
        #expect(try observer.dispatcherLease()?.epoch ?? 0 >= 2, "a new term (a new epoch) recovered the job")
    }
}
