@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// Display-number problems, call quotas and clock skew: what the scheduler
/// does with the codes whose first handling burned queues or spun all day.
@Suite struct SchedulerPlatformCodeTests {
    let base: SchedulerTests
    var clock: ManualClock { base.clock }
    var database: AppDatabase { base.database }
    static let bad = "+8675528000088"
    static let good = "+8675528000099"

    init() throws { base = try SchedulerTests() }

    /// The number codes, as the platform answers them.
    static let numberCodes: [(Int, String)] = [(403, "1010023"), (500, "1020151"), (403, "1013010"), (403, "1012001")]

    @Test(arguments: numberCodes)
    func aRefusedPoolNumberIsRetiredAndTheJobTakesAnother(status: Int, code: String) async throws {
        try base.queue([base.notify("a", callee: "+8613800000001")])
        let scheduler = try await base.scheduler(base.settings(pool: [Self.bad, Self.good]))
        let pass = try await scheduler.tick()
        #expect(pass.tickets.map(\.displayNbr) == [Self.bad])
        try await scheduler.complete(pass.tickets[0], with: SchedulerTests.rejected(status, code))
        let job = try #require(try base.state("a"))
        #expect(job.state == .queued)
        let retired = try #require(try database.activePauses(now: clock.now)[.displayNumber(Self.bad)])
        #expect(retired.code == code)
        #expect(retired.reason.contains("retired"))
        #expect(try database.halts().first == nil)
        // More jobs: none of them draws the retired number.
        try base.queue((2..<6).map { base.notify("n\($0)", callee: "+861380000000\($0)") })
        let next = try await scheduler.tick()
        #expect(next.tickets.count == 5)
        #expect(next.tickets.allSatisfy { $0.displayNbr == Self.good }, "\(next.tickets.map(\.displayNbr))")
    }

    @Test func whenEveryPoolNumberIsRefusedDispatchHaltsWithJobsQueued() async throws {
        try base.queue((0..<4).map { base.notify("j\($0)", callee: "+861380000000\($0)") })
        let scheduler = try await base.scheduler(base.settings(pool: [Self.bad, Self.good]))
        let pass = try await scheduler.tick()
        #expect(pass.tickets.count == 4)
        for ticket in pass.tickets {
            try await scheduler.complete(ticket, with: SchedulerTests.rejected(403, "1010023"))
        }
        let halt = try #require(try database.halts().first)
        #expect(halt.code == "1010023")
        #expect(halt.reason.contains("display_numbers"))
        #expect(try database.jobs(state: .queued).count == 4)
        #expect(try database.jobs(state: .failed).isEmpty)
        #expect(try await scheduler.tick().tickets.isEmpty)
        // After backoff.halt the retirements end and one probe goes out.
        clock.advance(.seconds(301))
        let probe = try await scheduler.tick()
        #expect(probe.tickets.count == 1)
        try await scheduler.complete(probe.tickets[0], with: SchedulerTests.accepted("s-probe"))
        #expect(try database.halts().first == nil)
    }

    @Test(arguments: numberCodes)
    func aNumberTheJobNamedItselfFailsOnlyThatJob(status: Int, code: String) async throws {
        var own = base.notify("own", callee: "+8613800000001")
        own.displayNbr = Self.bad
        try base.queue([own, base.notify("pool", callee: "+8613800000002")])
        let scheduler = try await base.scheduler(base.settings(pool: [Self.good]))
        let pass = try await scheduler.tick()
        let ticket = try #require(pass.tickets.first { $0.jobId == "own" })
        try await scheduler.complete(ticket, with: SchedulerTests.rejected(status, code))
        let job = try #require(try base.state("own"))
        #expect(job.state == .failed)
        #expect(job.errorCode == code)
        #expect(try database.activePauses(now: clock.now)[.displayNumber(Self.bad)] == nil)
        #expect(try database.halts().first == nil)
    }

    @Test(arguments: ["1013001", "1013002"])
    func aQuotaCodePausesAllDispatchWithAGrowingBackoffUpToTheQuotaCap(code: String) async throws {
        var settings = base.settings()
        settings.backoff.quota = .seconds(600)
        try base.queue([base.notify("q", callee: "+8613800000001")])
        let scheduler = try await base.scheduler(settings)
        var pauses: [TimeInterval] = []
        for _ in 0..<6 {
            let pass = try await scheduler.tick()
            let ticket = try #require(pass.tickets.first)
            try await scheduler.complete(ticket, with: SchedulerTests.rejected(403, code))
            let pause = try #require(try database.activePauses(now: clock.now)[.flow])
            #expect(pause.code == code)
            let until = try #require(pause.until)
            pauses.append(until.timeIntervalSince(clock.now))
            #expect(try base.state("q")?.state == .queued)
            clock.advance(.seconds(Int64(until.timeIntervalSince(clock.now)) + 1))
        }
        // 60 s, then doubling (jitter ≤ 20 %), never past backoff.quota.
        #expect(pauses[0] >= 60 && pauses[0] <= 72, "\(pauses)")
        #expect(pauses[1] >= 120 && pauses[1] <= 144, "\(pauses)")
        #expect(pauses[2] >= 240 && pauses[2] <= 288, "\(pauses)")
        #expect(pauses[3...].allSatisfy { $0 <= 600 && $0 >= 480 }, "\(pauses)")
        #expect(try database.jobs(state: .failed).isEmpty)
    }

    @Test func aDisplayNumberQuotaPausesThatNumberAndThePoolRotates() async throws {
        try base.queue([base.notify("q", callee: "+8613800000001")])
        let scheduler = try await base.scheduler(base.settings(pool: [Self.bad, Self.good]))
        let pass = try await scheduler.tick()
        try await scheduler.complete(pass.tickets[0], with: SchedulerTests.rejected(403, "1013003"))
        let pauses = try database.activePauses(now: clock.now)
        #expect(pauses[.flow] == nil)
        #expect(pauses[.displayNumber(Self.bad)]?.code == "1013003")
        #expect(try await scheduler.tick().tickets.map(\.displayNbr) == [Self.good])
    }

    @Test func aQuotaStreakEndsWithTheNextAcceptedCall() async throws {
        try base.queue((0..<3).map { base.notify("q\($0)", callee: "+861380000000\($0)") })
        let scheduler = try await base.scheduler(base.settings())
        let tickets = try await scheduler.tick().tickets
        #expect(tickets.count == 3)
        try await scheduler.complete(tickets[0], with: SchedulerTests.rejected(403, "1013002"))
        try await scheduler.complete(tickets[1], with: SchedulerTests.accepted("s1"))
        try await scheduler.complete(tickets[2], with: SchedulerTests.rejected(403, "1013002"))
        let until = try #require(try database.activePauses(now: clock.now)[.flow]?.until)
        // The acceptance between the refusals started a fresh streak: 60 s (+ jitter), not 120 s.
        #expect(until.timeIntervalSince(clock.now) <= 72)
        #expect(until.timeIntervalSince(clock.now) >= 60)
    }

    @Test(arguments: ["1011006", "1013002"])
    func aPlatformPauseNeverOverwritesOrLiftsTheOperatorsPause(code: String) async throws {
        try base.queue((0..<3).map { base.notify("p\($0)", callee: "+861380000000\($0)") })
        let scheduler = try await base.scheduler(base.settings())
        let tickets = try await scheduler.tick().tickets
        // The operator pauses everything while these requests are out.
        try database.setPause(.global, reason: "paused by operator", code: nil, until: nil, now: clock.now)
        try await scheduler.complete(tickets[0], with: SchedulerTests.rejected(403, code))
        let pauses = try database.activePauses(now: clock.now)
        #expect(pauses[.global]?.until == nil, "the operator's pause is still until resumed")
        #expect(pauses[.flow]?.code == code)
        clock.advance(.seconds(3 * 3600))
        #expect(try await scheduler.tick().tickets.isEmpty, "the platform's pause ended, the operator's did not")
    }

    @Test func clockSkewReportedAs1023006TriesTheOtherConventionOnceBeforeHalting() async throws {
        try base.queue([base.notify("skew")])
        let scheduler = try await base.scheduler(base.settings())
        #expect(await scheduler.createdClock == .utcPlus8)
        let pass = try await scheduler.tick()
        try await scheduler.complete(pass.tickets[0], with: SchedulerTests.rejected(400, "1023006"))
        #expect(await scheduler.createdClock == .utc)
        #expect(try database.halts().first == nil)
        #expect(try base.state("skew")?.state == .queued)
        let again = try await scheduler.tick()
        try await scheduler.complete(again.tickets[0], with: SchedulerTests.rejected(400, "1023006"))
        #expect(try database.halts().first?.code == "1023006")
    }
}
