@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Synchronization
import Testing
import VoiceCallAPI

/// Plan, commit, apply: the scheduler plans a pass or a batch of answers
/// inside the store's transaction and changes its memory only after the
/// commit. A commit that fails (as on a full disk) must leave every limit,
/// pause, counter and probe mark as it was, announce nothing, and let the
/// next try run exactly as if the failed one had never happened — which each
/// test checks against a twin scheduler whose store never failed.
@Suite struct SchedulerPlanTests {
    /// A store, its fault, its metrics and log, and a scheduler over them.
    struct Side {
        let database: AppDatabase
        /// Makes the store's next commit fail, as a full disk does: the
        /// transaction is rolled back and the write throws.
        let fault = SQLiteCommitWatch()
        let metrics: CallspoolMetrics
        let log: CapturedLog
        let scheduler: Scheduler
    }

    let clock = ManualClock()

    func settings(ports: Int) -> SchedulerSettings {
        let limits = Configuration.Limits(
            maxConcurrentCalls: ports, requestsPerSecond: 1000, perDisplayNumberPerMinute: 60, perCalleeMax: 3,
            perCalleeWindow: .seconds(86_400), verifyReservedPorts: 1, callLease: .seconds(600))
        let backoff = Configuration.Backoff(ports: .seconds(60), flow: .seconds(60), callee: .seconds(3600), halt: .seconds(300))
        let defaults = Configuration.Defaults(
            displayNumbers: ["+8675528000088", "+8675528000099"], verifyTTL: .seconds(300), notifyTTL: .seconds(86_400),
            window: CallingWindow(startMinute: 0, endMinute: 24 * 60, timeZone: "Asia/Shanghai"))
        var settings = SchedulerSettings(limits: limits, backoff: backoff, defaults: defaults, createdClock: .auto)
        settings.slowStart = false
        // No store-wide chores: the only commit of a pass is the pass's own.
        settings.housekeeping = false
        return settings
    }

    /// One side with `notify` notify jobs and one verify job queued, started.
    func side(ports: Int = 6, notify: Int = 6) async throws -> Side {
        let database = try AppDatabase.inMemory()
        var specs = (0..<notify).map { StoreFixtures.spec(id: "n\($0)", callee: "+86138000000\(String(format: "%02d", $0))") }
        specs.append(StoreFixtures.spec(id: "otp", verifyCode: "4829", callee: "+8613911112222"))
        _ = try database.insertJobs(specs, intakeKey: "k", sourceFile: "t.json", policy: IntakePolicy(), now: clock.now)
        let log = CapturedLog()
        let metrics = CallspoolMetrics.prometheus()
        let scheduler = Scheduler(
            database: database, settings: settings(ports: ports), clock: clock, random: AnyRandom(SeededRandom(state: 7)),
            logger: log.logger, metrics: metrics)
        try await scheduler.start()
        let side = Side(database: database, metrics: metrics, log: log, scheduler: scheduler)
        database.watchCommits(side.fault)
        return side
    }

    /// The scheduler's memory but its random source (not comparable: the
    /// twins show it drew the same numbers by pausing and requeueing alike).
    struct Memory: Equatable {
        var limiter: PortLimiter
        var bucket: TokenBucket
        var displayCounter: SlidingWindowCounter
        var displayLastUsed: [String: UInt64]
        var displayUses: UInt64
        var inFlight: Int
        var inCall: Set<Int64>
        var createdClock: CreatedClock
        var remembered: DispatchPolicy.Memory
        var halt: HaltRecord?
        var probeInFlight: Bool
        var breaker: TransportBreaker
        var transportProbe: Int64?
        var reserve: VerifyReserve
        var reservePorts: Int
        var verifyCallsStarted: [Int64: Date]
        var slowStart: SlowStart
        var dispatchPaused: Bool
        var portsPauseSet: Bool

        init(_ state: SchedulerState) {
            limiter = state.limiter
            bucket = state.bucket
            displayCounter = state.displayCounter
            displayLastUsed = state.displayLastUsed
            displayUses = state.displayUses
            inFlight = state.inFlight
            inCall = state.inCall
            createdClock = state.createdClock
            remembered = state.remembered
            halt = state.halt
            probeInFlight = state.probeInFlight
            breaker = state.breaker
            transportProbe = state.transportProbe
            reserve = state.reserve
            reservePorts = state.reserveInForce.ports
            verifyCallsStarted = state.verifyCallsStarted
            slowStart = state.slowStart
            dispatchPaused = state.dispatchPaused
            portsPauseSet = state.portsPauseSet
        }
    }

    func memory(_ side: Side) async -> Memory { Memory(await side.scheduler.state) }

    /// What the store holds that the scheduler decided: jobs with their next
    /// try, pauses, halts.
    func stored(_ side: Side) throws -> [String] {
        let jobs = try side.database.jobs(state: nil, limit: 100).map { "\($0.jobId) \($0.state) \($0.nextAttemptAt.timeIntervalSince1970)" }
        let pauses = try side.database.pauses().map { "pause \($0.scope) \($0.until?.timeIntervalSince1970 ?? -1) \($0.code ?? "-")" }
        let halts = try side.database.halts().map { "halt \($0.code) \($0.probeAt.timeIntervalSince1970)" }
        return (jobs + pauses + halts).sorted()
    }

    /// The requests counter's series.
    func requestSeries(_ side: Side) throws -> [String] {
        var bytes: [UInt8] = []
        try #require(side.metrics.registry).emit(into: &bytes)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.hasPrefix("callspool_requests_total{") }.sorted()
    }

    @Test func aPassWhoseCommitFailsLeavesMemoryAsItWasAndTheRetryRunsAsTheFirstTry() async throws {
        let failing = try await side(ports: 4), twin = try await side(ports: 4)
        let before = await memory(failing)
        failing.fault.failNextCommit()
        await #expect(throws: SQLiteCommitWatch.InjectedFailure.self) { try await failing.scheduler.tick() }
        #expect(await memory(failing) == before, "no port, token, display-number use or verify arrival of the failed pass is kept")
        #expect(try failing.database.jobs(state: .queued, limit: 100).count == 7)

        let retried = try await failing.scheduler.tick()
        let reference = try await twin.scheduler.tick()
        #expect(retried.tickets.count > 1)
        #expect(retried.tickets.map(\.jobId) == reference.tickets.map(\.jobId))
        #expect(retried.tickets.map(\.displayNbr) == reference.tickets.map(\.displayNbr))
        #expect(await memory(failing) == memory(twin))
        #expect(try stored(failing) == stored(twin))
    }

    @Test func aBatchOfAnswersWhoseCommitFailsLeavesMemoryAsItWasAndCountsOnceWhenRecordedAgain() async throws {
        let failing = try await side(ports: 8), twin = try await side(ports: 8)
        let tickets = try await failing.scheduler.tick().tickets
        #expect(try await twin.scheduler.tick().tickets == tickets)
        try #require(tickets.count >= 6)
        // Every kind of memory an answer changes: the learned limit and ports
        // in use, push-backs in a row (ports, flow, quota) with their jittered
        // pauses, the breaker's uncertain answers, a retired pool number.
        let answers: [CallAttemptResult] = [
            .accepted(.init(sessionId: "s0", idlePort: 1)),
            .rejected(.init(httpStatus: 500, resultcode: "1020154", resultdesc: nil)),
            .rejected(.init(httpStatus: 403, resultcode: "1011006", resultdesc: nil)),
            .rejected(.init(httpStatus: 403, resultcode: "1013002", resultdesc: nil)),
            .uncertain(reason: "connection reset after sending"),
            .rejected(.init(httpStatus: 403, resultcode: "1010023", resultdesc: nil)),
        ]
        let batch = Array(zip(tickets, answers))
        let before = await memory(failing)
        let storedBefore = try stored(failing)
        failing.fault.failNextCommit()
        await #expect(throws: SQLiteCommitWatch.InjectedFailure.self) { try await failing.scheduler.complete(batch) }
        #expect(await memory(failing) == before)
        #expect(try stored(failing) == storedBefore)
        #expect(try requestSeries(failing).isEmpty, "nothing of the failed batch is counted")
        #expect(!failing.log.text.contains("port limit lowered"), "nothing of the failed batch is announced")

        // Recorded again (as the dispatcher does once the disk has room): as if the first try never happened.
        try await failing.scheduler.complete(batch)
        try await twin.scheduler.complete(batch)
        let after = await memory(failing)
        #expect(after == (await memory(twin)))
        #expect(after.limiter.effectiveLimit < before.limiter.effectiveLimit && after.remembered.portPushBacks == 1)
        #expect(try stored(failing) == stored(twin), "pauses and requeue times drew the same jitter")
        #expect(try requestSeries(failing) == requestSeries(twin))
        #expect(try requestSeries(failing).count == 6)
    }

    @Test func aHaltProbeWhoseCommitFailsIsNeitherMarkedNorAnnounced() async throws {
        let failing = try await side(), twin = try await side()
        for side in [failing, twin] {
            let first = try await side.scheduler.tick().tickets
            try await side.scheduler.complete(first.map { ($0, .rejected(.init(httpStatus: 401, resultcode: "1010010", resultdesc: nil))) })
            #expect(await side.scheduler.state.halt?.code == "1010010")
        }
        clock.advance(.seconds(301))
        let before = await memory(failing)
        failing.fault.failNextCommit()
        await #expect(throws: SQLiteCommitWatch.InjectedFailure.self) { try await failing.scheduler.tick() }
        #expect(await memory(failing) == before, "the probe that was not committed is not in flight")
        #expect(!failing.log.text.contains("halted: sending one probe request"))

        let probe = try await failing.scheduler.tick().tickets
        #expect(try await twin.scheduler.tick().tickets == probe)
        #expect(probe.count == 1)
        #expect(await memory(failing) == memory(twin))
        #expect(failing.log.lines.filter { $0.contains("halted: sending one probe request") }.count == 1)
    }

    /// One answer of a batch that the store refuses (its savepoint fails
    /// alone): the others are recorded, and of the refused one nothing is
    /// kept in memory either — no lowered port limit, no push-back, no
    /// ports pause — except that its request is no longer in flight.
    @Test func anAnswerThatCannotBeStoredKeepsNoneOfItsDecisionsButLeavesFlight() async throws {
        let side = try await side(ports: 8)
        let tickets = try await side.scheduler.tick().tickets
        try #require(tickets.count >= 2)
        let refused = tickets[0], accepted = tickets[1]
        try await side.database.write { db in
            try db.execute("""
                CREATE TEMP TRIGGER refuseOneAnswer BEFORE UPDATE ON main.attempt WHEN OLD.jobRowId = \(refused.jobRowId)
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
        }
        let before = await memory(side)
        try await side.scheduler.complete([
            (refused, .rejected(.init(httpStatus: 500, resultcode: "1020154", resultdesc: nil))),
            (accepted, .accepted(.init(sessionId: "s1", idlePort: nil))),
        ])
        let after = await memory(side)
        #expect(after.inFlight == before.inFlight - 2)
        #expect(after.inCall == [accepted.jobRowId])
        #expect(after.limiter.effectiveLimit == before.limiter.effectiveLimit, "the refused push-back did not lower the limit")
        #expect(after.remembered.portPushBacks == 0 && !after.portsPauseSet)
        #expect(try side.database.activePauses(now: clock.now).isEmpty)
        #expect(try side.database.jobDetail(id: refused.jobId)?.job.state == .dispatching)
        #expect(try side.database.jobDetail(id: accepted.jobId)?.job.state == .inCall)
        #expect(side.log.text.contains("could not record a request's result"))
        #expect(!side.log.text.contains("port limit lowered"))
    }

    /// The same rule outside a pass: a ports pause is forgotten only once the
    /// store has cleared it, so a call end whose clear fails leaves it to the
    /// next call end instead of to the pause's timeout.
    @Test func aPortsPauseWhoseClearFailsIsClearedAtTheNextCallEnd() async throws {
        let side = try await side(ports: 8)
        let tickets = try await side.scheduler.tick().tickets
        try #require(tickets.count >= 3)
        try await side.scheduler.complete([
            (tickets[0], .accepted(.init(sessionId: "s0", idlePort: nil))),
            (tickets[1], .accepted(.init(sessionId: "s1", idlePort: nil))),
            (tickets[2], .rejected(.init(httpStatus: 500, resultcode: "1020154", resultdesc: nil))),
        ])
        #expect(try side.database.activePauses(now: clock.now)[.ports] != nil)
        side.fault.failNextCommit()
        await side.scheduler.callEnded(CallEndSignal(jobRowId: tickets[0].jobRowId, sessionId: "s0", outcome: .answered, stateCode: 0))
        #expect(try side.database.activePauses(now: clock.now)[.ports] != nil)
        #expect(await side.scheduler.state.portsPauseSet)
        await side.scheduler.callEnded(CallEndSignal(jobRowId: tickets[1].jobRowId, sessionId: "s1", outcome: .answered, stateCode: 0))
        #expect(try side.database.activePauses(now: clock.now)[.ports] == nil)
    }
}
