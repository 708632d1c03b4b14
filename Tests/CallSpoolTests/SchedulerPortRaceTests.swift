@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// The port limit through the scheduler, as the dispatcher drives it: a call
/// ends, a refill goes out, and the refill's answer still counts an ended
/// call's port as busy (the platform's `idlePort` races the disconnect push).
@Suite struct SchedulerPortRaceTests {
    let clock = ManualClock()
    let database: AppDatabase

    init() throws { database = try AppDatabase.inMemory() }

    func scheduler() async throws -> Scheduler {
        let limits = Configuration.Limits(
            maxConcurrentCalls: 10, requestsPerSecond: 1000, perDisplayNumberPerMinute: 600, perCalleeMax: 3,
            perCalleeWindow: .seconds(86_400), verifyReservedPorts: 0, callLease: .seconds(600))
        let backoff = Configuration.Backoff(ports: .seconds(60), flow: .seconds(60), callee: .seconds(3600), halt: .seconds(300))
        let defaults = Configuration.Defaults(
            displayNumbers: ["+8675528000088"], verifyTTL: .seconds(300), notifyTTL: .seconds(86_400),
            window: CallingWindow(startMinute: 0, endMinute: 24 * 60, timeZone: "Asia/Shanghai"))
        var settings = SchedulerSettings(limits: limits, backoff: backoff, defaults: defaults, createdClock: .auto)
        settings.slowStart = false
        let scheduler = Scheduler(database: database, settings: settings, clock: clock, random: AnyRandom(SeededRandom(state: 7)))
        try await scheduler.start()
        return scheduler
    }

    func queue(_ ids: [String]) throws {
        let specs = ids.enumerated().map { index, id in StoreFixtures.spec(id: id, callee: "+86138" + String(format: "%08d", 1000 + index)) }
        _ = try database.insertJobs(specs, intakeKey: UUID().uuidString, sourceFile: "t.json", policy: IntakePolicy(), now: clock.now)
    }

    /// The receiver stores the call's end, then signals the scheduler.
    func end(_ ticket: DispatchTicket, on scheduler: Scheduler) async throws {
        try await database.write { db in try db.execute("UPDATE job SET state = 'completed' WHERE id = ?", [ticket.jobRowId]) }
        await scheduler.callEnded(CallEndSignal(jobRowId: ticket.jobRowId, sessionId: "s\(ticket.jobRowId)", outcome: .answered, stateCode: 0))
    }

    @Test func anIdlePortThatLagsACallEndDoesNotLowerTheLearnedLimit() async throws {
        try queue(["a", "b", "c", "d"])
        let scheduler = try await scheduler()
        let first = try await scheduler.tick()
        #expect(first.tickets.count == 4)
        // The platform has 4 ports: it admits the four with 3, 2, 1, 0 left.
        for (index, idle) in [3, 2, 1, 0].enumerated() {
            try await scheduler.complete(first.tickets[index], with: .accepted(.init(sessionId: "s\(first.tickets[index].jobRowId)", idlePort: idle)))
        }
        #expect(await scheduler.portFigures.effectiveLimit == 4)

        try queue(["e", "f", "g"])
        clock.advance(seconds: 20)
        try await end(first.tickets[0], on: scheduler)  // a ends: one refill goes out
        let refill = try await scheduler.tick()
        #expect(refill.tickets.map(\.jobId) == ["e"])
        try await end(first.tickets[1], on: scheduler)  // b ends before e is answered
        clock.advance(seconds: 0.01)
        // The platform admitted e with b's port free, but its idle count still
        // has b's port busy: 0 idle, while only c, d and e hold ports.
        try await scheduler.complete(refill.tickets[0], with: .accepted(.init(sessionId: "s\(refill.tickets[0].jobRowId)", idlePort: 0)))
        #expect(await scheduler.portFigures.effectiveLimit == 4, "one reading that lags a call end lowered the limit")
        #expect(try await scheduler.tick().tickets.map(\.jobId) == ["f"], "b's port is refilled")
    }
}
