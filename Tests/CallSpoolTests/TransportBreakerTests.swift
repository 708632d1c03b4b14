@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// A platform or proxy that drops connections after reading the request
/// must not turn the whole queue into `unknown`: after 3 uncertain answers
/// within 60 s all dispatch pauses, and one probe decides when it resumes.
@Suite struct TransportBreakerTests {
    let base: SchedulerTests
    var clock: ManualClock { base.clock }
    var database: AppDatabase { base.database }

    init() throws { base = try SchedulerTests() }

    static let lost = CallAttemptResult.uncertain(reason: "remote connection closed")

    @Test func threeUncertainAnswersPauseAllDispatchThenOneProbeResumesIt() async throws {
        try base.queue((0..<20).map { base.notify("j\($0)", callee: "+86138000000\(String(format: "%02d", $0))") })
        let scheduler = try await base.scheduler(base.settings(ports: 5, reserved: 0))
        let first = try await scheduler.tick().tickets
        #expect(first.count == 5)
        for ticket in first { try await scheduler.complete(ticket, with: Self.lost) }
        // Only the 3 that tripped the breaker and the 2 already in flight are unknown.
        #expect(try database.jobs(state: .unknown).count == 5)
        let pause = try #require(try database.activePauses(now: clock.now)[.transport])
        let until = try #require(pause.until)
        #expect(until.timeIntervalSince(clock.now) >= 60)
        #expect(try await scheduler.tick().tickets.isEmpty)
        #expect(try database.jobs(state: .queued).count == 15)

        // Pause over: exactly one probe; its loss trips the breaker again, for longer.
        clock.advance(.seconds(75))
        let probe = try await scheduler.tick().tickets
        #expect(probe.count == 1)
        #expect(try await scheduler.tick().tickets.isEmpty, "nothing else goes while the probe is out")
        try await scheduler.complete(probe[0], with: Self.lost)
        let again = try #require(try database.activePauses(now: clock.now)[.transport]?.until)
        #expect(again.timeIntervalSince(clock.now) >= 120)
        #expect(try database.jobs(state: .unknown).count == 6)

        // The next probe gets an answer: dispatch resumes at full width.
        clock.advance(.seconds(150))
        let second = try await scheduler.tick().tickets
        #expect(second.count == 1)
        try await scheduler.complete(second[0], with: SchedulerTests.accepted("s-ok"))
        #expect(try database.activePauses(now: clock.now)[.transport] == nil)
        #expect(try await scheduler.tick().tickets.count == 4)
    }

    @Test func uncertainAnswersSpreadOverMoreThanAMinuteDoNotTrip() async throws {
        try base.queue((0..<3).map { base.notify("j\($0)", callee: "+861380000000\($0)") })
        let scheduler = try await base.scheduler(base.settings(ports: 5, reserved: 0))
        let tickets = try await scheduler.tick().tickets
        for ticket in tickets {
            try await scheduler.complete(ticket, with: Self.lost)
            clock.advance(.seconds(31))
        }
        #expect(try database.activePauses(now: clock.now)[.transport] == nil)
    }

    @Test func aBreakerTrippedBeforeARestartStaysTripped() async throws {
        try base.queue((0..<6).map { base.notify("j\($0)", callee: "+861380000000\($0)") })
        let scheduler = try await base.scheduler(base.settings(ports: 3, reserved: 0))
        for ticket in try await scheduler.tick().tickets { try await scheduler.complete(ticket, with: Self.lost) }
        #expect(try database.activePauses(now: clock.now)[.transport] != nil)
        let restarted = try await base.scheduler(base.settings(ports: 3, reserved: 0))
        #expect(try await restarted.tick().tickets.isEmpty)
        clock.advance(.seconds(75))
        #expect(try await restarted.tick().tickets.count == 1)
    }

    @Test func theBreakerAsAValue() {
        var breaker = TransportBreaker()
        let start = Date(timeIntervalSince1970: 1_000_000)
        var trips: [Bool] = []
        for offset in [0.0, 10, 20] { trips.append(breaker.recordUncertain(at: start.addingTimeInterval(offset))) }
        #expect(trips == [false, false, true])
        #expect(breaker.isOpen && breaker.trips == 1)
        breaker.recordAnswer()
        #expect(!breaker.isOpen && breaker.trips == 0)
        trips = []
        for offset in [100.0, 170, 240] { trips.append(breaker.recordUncertain(at: start.addingTimeInterval(offset))) }
        #expect(trips == [false, false, false], "more than a minute apart")
    }
}
