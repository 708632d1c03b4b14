@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// A disconnect without stateCode frees the dispatcher's port at once; the
/// job stays open for the CDR until `limits.call_lease`, then ends as any
/// lease expiry does (`unknown`). Runs on a manual clock.
@Suite struct AwaitingFeeRecordLeaseTests {
    let clock = ManualClock()
    let database: AppDatabase

    init() throws { database = try AppDatabase.inMemory() }

    func settings() -> SchedulerSettings {
        let limits = Configuration.Limits(
            maxConcurrentCalls: 1, requestsPerSecond: 1000, perDisplayNumberPerMinute: 60, perCalleeMax: 3,
            perCalleeWindow: .seconds(86_400), verifyReservedPorts: 0, callLease: .seconds(600))
        let backoff = Configuration.Backoff(ports: .seconds(60), flow: .seconds(60), callee: .seconds(3600), halt: .seconds(300))
        let defaults = Configuration.Defaults(
            displayNumbers: ["+8675528000088"], verifyTTL: .seconds(300), notifyTTL: .seconds(86_400),
            window: CallingWindow(startMinute: 0, endMinute: 24 * 60, timeZone: "Asia/Shanghai"))
        return SchedulerSettings(limits: limits, backoff: backoff, defaults: defaults, createdClock: .auto)
    }

    /// One port, two jobs: a placed and accepted, b waiting for the port.
    func start() async throws -> (Scheduler, DispatchTicket) {
        let specs = [StoreFixtures.spec(id: "a", callee: "+8613800000001"), StoreFixtures.spec(id: "b", callee: "+8613800000002")]
        _ = try database.insertJobs(specs, intakeKey: "k", sourceFile: "t.json", policy: IntakePolicy(), now: clock.now)
        let scheduler = Scheduler(database: database, settings: settings(), clock: clock, random: AnyRandom(SeededRandom(state: 7)))
        try await scheduler.start()
        let pass = try await scheduler.tick()
        let ticket = try #require(pass.tickets.first)
        #expect(pass.tickets.count == 1)
        try await scheduler.complete(ticket, with: .accepted(.init(sessionId: "S-a", idlePort: nil)))
        return (scheduler, ticket)
    }

    /// What the receiver does with a push, then hands the signals on.
    func push(_ event: CallbackEvent, to scheduler: Scheduler) async throws {
        let results = await database.recordCallbacks([.init(event: event, body: "{}", now: clock.now)])
        let commit = try #require(results.first).get()
        for signal in commit.signals { await scheduler.callEnded(signal) }
    }

    func job(_ id: String) throws -> JobRecord? { try database.jobDetail(id: id)?.job }

    @Test func theCodelessDisconnectFreesThePortAndTheLeaseEndsTheWait() async throws {
        let (scheduler, _) = try await start()
        #expect(try await scheduler.tick().tickets.isEmpty, "the only port is held by a's call")
        try await push(.status(.disconnect, CallStatusInfo(sessionId: "S-a", timestamp: "2026-11-22 04:41:00")), to: scheduler)
        #expect(try job("a")?.state == .inCall)
        // The port is free: b goes, and a recount does not take the port back.
        let next = try await scheduler.tick()
        #expect(next.tickets.map(\.jobId) == ["b"])
        #expect(try database.portHoldingJobRowIds(app: "default").isEmpty)
        // No CDR: within the lease a stays open ...
        clock.advance(.seconds(590))
        _ = try await scheduler.tick()
        #expect(try job("a")?.state == .inCall)
        // ... past it, a ends as any call whose lease ran out.
        clock.advance(.seconds(20))
        _ = try await scheduler.tick()
        let a = try #require(try job("a"))
        #expect(a.state == .unknown)
        #expect(a.outcome == nil)
        // A CDR re-pushed later still completes it.
        var cdr = FeeRecord(sessionId: "S-a")
        cdr.callOutUnaswRsn = 18
        try await push(.fee([cdr]), to: scheduler)
        #expect(try job("a")?.state == .completed)
        #expect(try job("a")?.outcome == .noAnswer)
    }

    @Test func theCDRWithinTheLeaseDecides() async throws {
        let (scheduler, _) = try await start()
        try await push(.status(.disconnect, CallStatusInfo(sessionId: "S-a")), to: scheduler)
        clock.advance(.seconds(120))
        _ = try await scheduler.tick()
        var cdr = FeeRecord(sessionId: "S-a")
        cdr.callOutAnswerTime = "2026-11-22 04:40:10"
        try await push(.fee([cdr]), to: scheduler)
        let a = try #require(try job("a"))
        #expect(a.state == .completed)
        #expect(a.outcome == .answered)
    }
}
