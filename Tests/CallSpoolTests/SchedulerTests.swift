@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

@Suite struct SchedulerTests {
    let clock = ManualClock()
    let database: AppDatabase

    init() throws { database = try AppDatabase.inMemory() }

    func settings(ports: Int = 10, reserved: Int = 2, rps: Int = 1000, pool: [String] = ["+8675528000088", "+8675528000099"]) -> SchedulerSettings {
        let limits = Configuration.Limits(
            maxConcurrentCalls: ports, requestsPerSecond: rps, perDisplayNumberPerMinute: 60, perCalleeMax: 3,
            perCalleeWindow: .seconds(86_400), verifyReservedPorts: reserved, callLease: .seconds(600))
        let backoff = Configuration.Backoff(ports: .seconds(60), flow: .seconds(60), callee: .seconds(3600), halt: .seconds(300))
        let defaults = Configuration.Defaults(
            displayNumbers: pool, verifyTTL: .seconds(300), notifyTTL: .seconds(86_400),
            window: CallingWindow(startMinute: 0, endMinute: 24 * 60, timeZone: "Asia/Shanghai"))
        var settings = SchedulerSettings(limits: limits, backoff: backoff, defaults: defaults, createdClock: .auto)
        settings.slowStart = false  // SlowStartTests cover it; here whole passes are easier to read
        return settings
    }

    func scheduler(_ settings: SchedulerSettings) async throws -> Scheduler {
        let scheduler = Scheduler(database: database, settings: settings, clock: clock, random: AnyRandom(SeededRandom(state: 7)))
        try await scheduler.start()
        return scheduler
    }

    func queue(_ specs: [JobSpec]) throws {
        _ = try database.insertJobs(specs, intakeKey: UUID().uuidString, sourceFile: "t.json", policy: IntakePolicy(), now: clock.now)
    }

    func notify(_ id: String, callee: String? = nil, priority: Int = 0, campaign: String? = nil) -> JobSpec {
        var spec = StoreFixtures.spec(id: id, campaign: campaign, callee: callee ?? "+86138" + String(format: "%08d", abs(id.hashValue) % 100_000_000))
        spec.priority = priority
        return spec
    }

    func verify(_ id: String) -> JobSpec {
        StoreFixtures.spec(id: id, verifyCode: "4829", callee: "+8613911112222")
    }

    func state(_ id: String) throws -> JobRecord? { try database.jobDetail(id: id)?.job }

    static func accepted(_ session: String, idle: Int? = nil) -> CallAttemptResult {
        .accepted(.init(sessionId: session, idlePort: idle))
    }

    static func rejected(_ status: Int, _ code: String) -> CallAttemptResult {
        .rejected(.init(httpStatus: status, resultcode: code, resultdesc: nil))
    }

    @Test func verifyFirstThenPriorityThenAgeWithinTheVerifyReserve() async throws {
        try queue([notify("n-low"), notify("n-high", priority: 9), notify("n-mid", priority: 5), notify("n-low2")])
        try queue([verify("otp")])
        let scheduler = try await scheduler(settings(ports: 3, reserved: 1))
        let pass = try await scheduler.tick()
        #expect(pass.tickets.map(\.jobId) == ["otp", "n-high"])
        #expect(try state("otp")?.state == .dispatching)
        #expect(try state("n-mid")?.state == .queued)
        let attempt = try #require(try database.jobDetail(id: "otp")?.attempts.first)
        #expect(attempt.userData == "cs1.\(pass.tickets[0].jobRowId).1")
        #expect(pass.tickets[0].displayNbr == "+8675528000088")
        #expect(pass.tickets[1].displayNbr == "+8675528000099")
    }

    @Test func campaignCannotStarveALoginCode() async throws {
        try queue((0..<50).map { notify("c\($0)") })
        let scheduler = try await scheduler(settings(ports: 5, reserved: 2))
        let first = try await scheduler.tick()
        #expect(first.tickets.count == 3)
        try queue([verify("otp")])
        let second = try await scheduler.tick()
        #expect(second.tickets.map(\.jobId) == ["otp"])
    }

    @Test func acceptanceHoldsThePortUntilTheCallEnds() async throws {
        try queue([notify("a"), notify("b"), notify("c")])
        let scheduler = try await scheduler(settings(ports: 2, reserved: 0))
        let pass = try await scheduler.tick()
        #expect(pass.tickets.count == 2)
        for (index, ticket) in pass.tickets.enumerated() { try await scheduler.complete(ticket, with: Self.accepted("s\(index)")) }
        #expect(try state("a")?.state == .inCall)
        #expect(try await scheduler.tick().tickets.isEmpty)
        try await database.write { db in try db.execute("UPDATE job SET state = 'completed' WHERE jobId = 'a'") }
        await scheduler.callEnded(CallEndSignal(jobRowId: pass.tickets[0].jobRowId, sessionId: "s0", outcome: .answered, stateCode: 0))
        #expect(try await scheduler.tick().tickets.map(\.jobId) == ["c"])
    }

    @Test func aCallEndSeenByTheRecountIsNotSubtractedAgain() async throws {
        try queue([notify("a"), notify("b")])
        let scheduler = try await scheduler(settings(ports: 5, reserved: 0))
        let pass = try await scheduler.tick()
        for (index, ticket) in pass.tickets.enumerated() { try await scheduler.complete(ticket, with: Self.accepted("s\(index)", idle: 3)) }
        #expect(await scheduler.portFigures.inUse == 2)
        // The receiver commits a's end; a pass recounts before the signal arrives.
        try await database.write { db in try db.execute("UPDATE job SET state = 'completed' WHERE jobId = 'a'") }
        _ = try await scheduler.tick()
        #expect(await scheduler.portFigures.inUse == 1)
        await scheduler.callEnded(CallEndSignal(jobRowId: pass.tickets[0].jobRowId, sessionId: "s0", outcome: .answered, stateCode: 0))
        await scheduler.callEnded(CallEndSignal(jobRowId: pass.tickets[0].jobRowId, sessionId: "s0", outcome: .answered, stateCode: 0))
        #expect(await scheduler.portFigures.inUse == 1, "b's call still holds its port")
    }

    @Test func portsPushBackShrinksTheLimitAndPausesUntilACallEnds() async throws {
        try queue((0..<6).map { notify("p\($0)") })
        let scheduler = try await scheduler(settings(ports: 6, reserved: 0))
        let pass = try await scheduler.tick()
        #expect(pass.tickets.count == 6)
        for ticket in pass.tickets.prefix(4) { try await scheduler.complete(ticket, with: Self.accepted("s\(ticket.jobRowId)")) }
        try await scheduler.complete(pass.tickets[4], with: Self.rejected(500, "1020154"))
        #expect(try state(pass.tickets[4].jobId)?.state == .queued)
        #expect(await scheduler.portFigures.effectiveLimit <= 5)
        #expect(try database.activePauses(now: clock.now)[.ports] != nil)
        #expect(try await scheduler.tick().tickets.isEmpty)
        await scheduler.callEnded(CallEndSignal(jobRowId: pass.tickets[0].jobRowId, sessionId: "x", outcome: .answered, stateCode: 0))
        #expect(try database.activePauses(now: clock.now)[.ports] == nil)
    }

    @Test func idlePortFindsAHiddenLimit() async throws {
        try queue((0..<3).map { notify("i\($0)") })
        let scheduler = try await scheduler(settings(ports: 10, reserved: 0))
        let pass = try await scheduler.tick()
        #expect(pass.tickets.count == 3)
        // The platform admits them in order and reports the ports left after each.
        for (index, idle) in [2, 1, 0].enumerated() {
            try await scheduler.complete(pass.tickets[index], with: Self.accepted("s\(index)", idle: idle))
            #expect(await scheduler.portFigures.effectiveLimit == 3)
        }
    }

    @Test func haltKeepsJobsQueuedAndProbesOnce() async throws {
        try queue((0..<5).map { notify("h\($0)") })
        let scheduler = try await scheduler(settings(ports: 1, reserved: 0))
        let pass = try await scheduler.tick()
        try await scheduler.complete(pass.tickets[0], with: Self.rejected(401, "1010010"))
        #expect(try database.stateCounts()[.queued] == 5)
        #expect(try database.halts().first?.code == "1010010")
        #expect(try await scheduler.tick().tickets.isEmpty)
        clock.advance(.seconds(301))
        let probe = try await scheduler.tick()
        #expect(probe.tickets.count == 1)
        try await scheduler.complete(probe.tickets[0], with: Self.accepted("ok"))
        #expect(try database.halts().first == nil)
    }

    @Test func clockSkewSwitchesTheCreatedConventionOnceInAutoMode() async throws {
        try queue([notify("skew")])
        let scheduler = try await scheduler(settings())
        #expect(await scheduler.createdClock == .utcPlus8)
        let pass = try await scheduler.tick()
        try await scheduler.complete(pass.tickets[0], with: Self.rejected(401, "1010013"))
        #expect(await scheduler.createdClock == .utc)
        #expect(try database.halts().first == nil)
        let again = try await scheduler.tick()
        try await scheduler.complete(again.tickets[0], with: Self.rejected(401, "1010013"))
        #expect(try database.halts().first?.code == "1010013")
    }

    @Test func jobClassFailsOnlyThatJob() async throws {
        try queue([notify("bad", callee: "+8613800000001"), notify("good", callee: "+8613800000002")])
        let scheduler = try await scheduler(settings())
        let pass = try await scheduler.tick()
        let bad = try #require(pass.tickets.first { $0.jobId == "bad" })
        try await scheduler.complete(bad, with: Self.rejected(403, "1013004"))
        let job = try #require(try state("bad"))
        #expect(job.state == .failed)
        #expect(job.errorCode == "1013004")
        #expect(try state("good")?.state == .dispatching)
    }

    @Test func transientErrorsRetryWithBackoffAndNeverPastExpiry() async throws {
        try queue([verify("otp")])
        let scheduler = try await scheduler(settings())
        let pass = try await scheduler.tick()
        try await scheduler.complete(pass.tickets[0], with: Self.rejected(500, "1023002"))
        let job = try #require(try state("otp"))
        #expect(job.state == .queued)
        #expect(job.nextAttemptAt >= clock.now && job.nextAttemptAt <= clock.now.addingTimeInterval(2))
        clock.advance(.seconds(400))
        _ = try await scheduler.tick()
        #expect(try state("otp")?.state == .expired)
    }

    @Test func calleeFrequencyPausesOnlyThatCallee() async throws {
        try queue([notify("x1", callee: "+8613800000001")])
        let scheduler = try await scheduler(settings())
        let pass = try await scheduler.tick()
        try await scheduler.complete(pass.tickets[0], with: Self.rejected(403, "1013117"))
        try queue([notify("x2", callee: "+8613800000001"), notify("y", callee: "+8613800000002")])
        #expect(try await scheduler.tick().tickets.map(\.jobId) == ["y"])
        #expect(try state("x2")!.nextAttemptAt >= clock.now.addingTimeInterval(3599))
    }

    @Test func perCalleeLimitIsCountedFromTheStore() async throws {
        let callee = "+8613800000009"
        try queue((0..<4).map { index in
            var spec = notify("r\(index)", callee: callee)
            spec.ttl = .seconds(3 * 86_400)
            return spec
        })
        let scheduler = try await scheduler(settings())
        let pass = try await scheduler.tick()
        #expect(pass.tickets.count == 3)
        let waiting = try #require(try database.jobs(state: .queued).first)
        #expect(waiting.nextAttemptAt > clock.now.addingTimeInterval(86_000))
    }

    /// Three reminders today must not cost the person their login code, nor
    /// a fourth code: `per_callee_max` counts and gates notify jobs only.
    @Test func aLoginCodeIsNeverHeldBackByThePerCalleeLimit() async throws {
        let callee = "+8613911112222"  // the callee of `verify(_:)`
        try queue((0..<3).map { notify("r\($0)", callee: callee) })
        let scheduler = try await scheduler(settings(ports: 10, reserved: 0))
        #expect(try await scheduler.tick().tickets.count == 3)
        try queue([verify("otp1"), verify("otp2"), verify("otp3"), verify("otp4")])
        #expect(try await scheduler.tick().tickets.map(\.jobId).sorted() == ["otp1", "otp2", "otp3", "otp4"])
        for id in ["otp1", "otp2", "otp3", "otp4"] { #expect(try state(id)?.state == .dispatching) }
        // The codes do not count towards the reminders' limit either way: a
        // fourth reminder waits for the window, as before.
        var fourth = notify("r3", callee: callee)
        fourth.ttl = .seconds(3 * 86_400)
        try queue([fourth])
        #expect(try await scheduler.tick().tickets.isEmpty)
        #expect(try #require(try state("r3")).nextAttemptAt > clock.now.addingTimeInterval(86_000))
    }

    /// `window: "always"` calls at any hour, whatever the default window says.
    @Test func aJobWhoseWindowIsAlwaysGoesWhileTheDefaultWindowIsClosed() async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let hour = calendar.component(.hour, from: clock.now)
        var settings = settings()
        settings.defaults.window = CallingWindow(startMinute: (hour + 2) % 24 * 60, endMinute: (hour + 3) % 24 * 60, timeZone: "UTC")
        var alert = notify("alert")
        alert.window = .always
        var reminder = notify("reminder")
        reminder.ttl = .seconds(3 * 86_400)
        try queue([alert, reminder])
        let scheduler = try await scheduler(settings)
        #expect(try await scheduler.tick().tickets.map(\.jobId) == ["alert"])
        #expect(try state("reminder")?.state == .queued)
    }

    @Test func closedWindowPostponesToTheOpening() async throws {
        var spec = notify("w")
        spec.window = CallingWindow(startMinute: 23 * 60, endMinute: 23 * 60 + 30, timeZone: "Asia/Shanghai")
        try queue([spec])
        let scheduler = try await scheduler(settings())
        #expect(try await scheduler.tick().tickets.isEmpty)
        let job = try #require(try state("w"))
        #expect(job.state == .queued)
        #expect(spec.window!.contains(job.nextAttemptAt))
    }

    @Test func displayFrequencyRotatesToAnotherPoolNumber() async throws {
        try queue([notify("d1", callee: "+8613800000001")])
        let scheduler = try await scheduler(settings(pool: ["+8675528000088", "+8675528000099"]))
        let pass = try await scheduler.tick()
        try await scheduler.complete(pass.tickets[0], with: Self.rejected(403, "1013118"))
        let retry = try await scheduler.tick()
        #expect(retry.tickets.first?.displayNbr == "+8675528000099")
    }

    @Test func onePassSpreadsRequestsOverThePool() async throws {
        try queue((0..<6).map { notify("r\($0)", callee: "+861380000000\($0)") })
        let scheduler = try await scheduler(settings(pool: ["+8675528000088", "+8675528000099"]))
        let pass = try await scheduler.tick()
        let numbers = pass.tickets.map(\.displayNbr)
        #expect(numbers.count == 6)
        #expect(numbers.filter { $0 == "+8675528000088" }.count == 3, "\(numbers)")
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $0 != $1 }, "least recently used first: \(numbers)")
    }

    @Test func restartTurnsInFlightIntoUnknownAndNeverResends() async throws {
        try queue([notify("crash")])
        let first = try await scheduler(settings())
        #expect(try await first.tick().tickets.count == 1)
        let second = try await scheduler(settings())
        #expect(try state("crash")?.state == .unknown)
        #expect(try await second.tick().tickets.isEmpty)
    }

    @Test func uncertainResponseLeavesTheJobUnknown() async throws {
        try queue([notify("lost")])
        let scheduler = try await scheduler(settings())
        let pass = try await scheduler.tick()
        try await scheduler.complete(pass.tickets[0], with: .uncertain(reason: "read timeout"))
        #expect(try state("lost")?.state == .unknown)
        #expect(try await scheduler.tick().tickets.isEmpty)
    }

    @Test func operatorIntentsAreAppliedWithinAPass() async throws {
        try queue([notify("k1", campaign: "camp"), notify("k2", campaign: "camp"), notify("solo")])
        let scheduler = try await scheduler(settings())
        try database.request(.pause(campaign: "camp"), now: clock.now)
        try database.request(.cancel(ids: ["solo"], campaign: nil), now: clock.now)
        #expect(try await scheduler.tick().tickets.isEmpty)
        #expect(try state("solo")?.state == .canceled)
        try database.request(.resume(campaign: "camp"), now: clock.now)
        clock.advance(.seconds(1))
        #expect(try await scheduler.tick().tickets.count == 2)
    }
}
