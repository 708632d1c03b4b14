@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// Slow start: one request alone after start-up, a halt probe or the end of
/// a dispatch-wide pause; the window grows by one per accepted answer.
@Suite struct SlowStartTests {
    let base: SchedulerTests
    var clock: ManualClock { base.clock }
    var database: AppDatabase { base.database }

    init() throws { base = try SchedulerTests() }

    func settings(ports: Int = 10) -> SchedulerSettings {
        var settings = base.settings(ports: ports, reserved: 0)
        settings.slowStart = true
        return settings
    }

    func queue(_ count: Int) throws {
        try base.queue((0..<count).map { base.notify("j\($0)", callee: "+86138" + String(format: "%08d", $0)) })
    }

    @Test func theWindowGrowsByOnePerAcceptedAnswerAndEndsAtTheLimit() {
        var slow = SlowStart()
        #expect(slow.allows(inFlight: 0) && !slow.allows(inFlight: 1))
        slow.accepted(limit: 4)
        #expect(slow.window == 2)
        slow.accepted(limit: 4)
        slow.accepted(limit: 4)
        #expect(slow.window == nil && slow.allows(inFlight: 1_000))
        slow.restart()
        #expect(slow.window == 1)
        #expect(SlowStart(startingNow: false).allows(inFlight: 63))
    }

    @Test func aWrongSecretCostsExactlyOneRequestBeforeTheHaltAndOnePerProbe() async throws {
        try queue(100)
        let scheduler = try await base.scheduler(settings())
        let first = try await scheduler.tick().tickets
        #expect(first.count == 1)
        #expect(try await scheduler.tick().tickets.isEmpty, "nothing more goes before the answer")
        try await scheduler.complete(first[0], with: SchedulerTests.rejected(401, "1010010"))
        #expect(try database.halts().first?.code == "1010010")
        #expect(try await scheduler.tick().tickets.isEmpty)
        for _ in 0..<2 {
            clock.advance(.seconds(301))
            let probe = try await scheduler.tick().tickets
            #expect(probe.count == 1)
            #expect(try await scheduler.tick().tickets.isEmpty)
            try await scheduler.complete(probe[0], with: SchedulerTests.rejected(401, "1010010"))
        }
        #expect(try database.jobs(state: .queued).count == 100)
    }

    @Test func aCampaignReachesTheLimitWithinAFewRoundsOfAnswers() async throws {
        try queue(40)
        let scheduler = try await base.scheduler(settings(ports: 10))
        var rounds: [Int] = []
        for _ in 0..<5 {
            let tickets = try await scheduler.tick().tickets
            rounds.append(tickets.count)
            for (n, ticket) in tickets.enumerated() {
                try await scheduler.complete(ticket, with: SchedulerTests.accepted("s-\(ticket.jobRowId)-\(n)"))
            }
        }
        // 1, 2, 4, then the port limit of 10 (7 calls held; 3 ports left).
        #expect(Array(rounds.prefix(3)) == [1, 2, 4], "\(rounds)")
        #expect(rounds.reduce(0, +) == 10, "\(rounds)")
        #expect(await scheduler.portFigures.inUse == 10)
    }

    @Test func theEndOfADispatchWidePauseRestartsSlowly() async throws {
        try queue(30)
        let scheduler = try await base.scheduler(settings(ports: 20))
        // Open the window fully.
        for _ in 0..<4 {
            for ticket in try await scheduler.tick().tickets {
                try await scheduler.complete(ticket, with: SchedulerTests.accepted("s-\(ticket.jobRowId)"))
            }
        }
        let wide = try await scheduler.tick().tickets
        #expect(wide.count > 1)
        try await scheduler.complete(wide[0], with: SchedulerTests.rejected(403, "1011006"))
        for ticket in wide.dropFirst() { try await scheduler.complete(ticket, with: SchedulerTests.accepted("s-\(ticket.jobRowId)")) }
        #expect(try database.activePauses(now: clock.now)[.flow] != nil)
        clock.advance(.seconds(75))
        #expect(try await scheduler.tick().tickets.count == 1)
    }
}
