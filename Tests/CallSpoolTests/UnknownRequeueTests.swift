@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// `unknown` notify jobs come back to the queue when the evidence says no
/// call happened: nothing heard of them for `limits.unknown_requeue_after`
/// while the callback receiver was up the whole time.
@Suite struct UnknownRequeueTests {
    let base: SchedulerTests
    var clock: ManualClock { base.clock }
    var database: AppDatabase { base.database }

    init() throws { base = try SchedulerTests() }

    static let lost = CallAttemptResult.uncertain(reason: "connection reset after the request")

    /// A job whose request was lost, `unknown`, with the receiver up since `upSince`.
    func unknownJob(_ spec: JobSpec, receiverUpSince upSince: Date, after: Duration = .seconds(7 * 3600)) async throws -> Scheduler {
        var settings = base.settings()
        settings.limits.unknownRequeueAfter = after
        try base.queue([spec])
        let scheduler = try await base.scheduler(settings)
        let ticket = try #require(try await scheduler.tick().tickets.first)
        try await scheduler.complete(ticket, with: Self.lost)
        #expect(try base.state(spec.id)?.state == .unknown)
        try database.beat(HeartbeatRecord(
            pid: 1, startedAt: upSince, heartbeatAt: clock.now, version: "test", effectivePortLimit: nil, createdClock: nil,
            receiverUpSince: upSince))
        return scheduler
    }

    func waitOutTheRequeueDelay(_ scheduler: Scheduler) async throws {
        clock.advance(.seconds(7 * 3600 + 61))
        _ = try await scheduler.tick()
    }

    @Test func nothingHeardWhileTheReceiverWasUpRequeuesTheJobKeepingItsAttempts() async throws {
        let scheduler = try await unknownJob(base.notify("quiet"), receiverUpSince: clock.now.addingTimeInterval(-60))
        clock.advance(.seconds(6 * 3600))
        _ = try await scheduler.tick()
        #expect(try base.state("quiet")?.state == .unknown, "not before the delay")
        try await waitOutTheRequeueDelay(scheduler)
        let job = try #require(try base.state("quiet"))
        #expect(job.state == .queued || job.state == .dispatching)
        #expect(job.errorDesc?.contains("requeued") == true || job.state == .dispatching)
        let attempts = try #require(try database.jobDetail(id: "quiet")).attempts
        #expect(attempts.count >= 1)
        #expect(attempts.first?.resultClass == "uncertain")
    }

    @Test func aReceiverThatWasDownMeanwhileKeepsTheJobUnknown() async throws {
        // The receiver's up-time started after the request was sent (a restart or a gap).
        let scheduler = try await unknownJob(base.notify("gap"), receiverUpSince: clock.now.addingTimeInterval(3600))
        try await waitOutTheRequeueDelay(scheduler)
        #expect(try base.state("gap")?.state == .unknown)
    }

    @Test func anEventHeardForTheCallKeepsTheJobUnknown() async throws {
        let scheduler = try await unknownJob(base.notify("heard"), receiverUpSince: clock.now.addingTimeInterval(-60))
        let userData = try #require(try database.jobDetail(id: "heard")?.attempts.first?.userData)
        let now = clock.now
        try await database.write { db in
            try db.execute("INSERT INTO callEvent (sessionId, eventType, receivedAt, userData, body) VALUES ('s-1', 'callout', ?, ?, '{}')",
                [now.timeIntervalSince1970, userData])
        }
        try await waitOutTheRequeueDelay(scheduler)
        #expect(try base.state("heard")?.state == .unknown)
    }

    @Test func zeroTurnsItOff() async throws {
        let scheduler = try await unknownJob(base.notify("off"), receiverUpSince: clock.now.addingTimeInterval(-60), after: .zero)
        try await waitOutTheRequeueDelay(scheduler)
        #expect(try base.state("off")?.state == .unknown)
    }

    @Test func verifyJobsAreNotRequeued() async throws {
        var spec = base.verify("otp")
        spec.ttl = .seconds(86_400)
        let scheduler = try await unknownJob(spec, receiverUpSince: clock.now.addingTimeInterval(-60))
        try await waitOutTheRequeueDelay(scheduler)
        #expect(try base.state("otp")?.state != .queued)
    }

    @Test func theReceiversUpTimeRestartsAfterAGapLongerThanTheLease() async {
        let uptime = ReceiverUptime()
        let start = Date(timeIntervalSince1970: 1_000_000)
        let limit = Duration.seconds(600)
        #expect(await uptime.beat(at: start, startedAt: start, gapLimit: limit) == start)
        #expect(await uptime.beat(at: start.addingTimeInterval(5), startedAt: start, gapLimit: limit) == start)
        let late = start.addingTimeInterval(5 + 601)
        #expect(await uptime.beat(at: late, startedAt: start, gapLimit: limit) == late)
        #expect(await uptime.beat(at: late.addingTimeInterval(5), startedAt: start, gapLimit: limit) == late)
    }

    @Test func theConfigurationTakesZeroAndRefusesLessThanSixHours() throws {
        let loader = ConfigurationLoader(environment: [:])
        func parse(_ value: String) throws -> CallSpoolCore.Configuration {
            try loader.parse(ConfigurationTests.minimal + "\n[limits]\nunknown_requeue_after = \(value)\n", file: "t.toml", purpose: .daemon)
        }
        #expect(try parse("0").limits.unknownRequeueAfter == .zero)
        #expect(try parse("\"0\"").limits.unknownRequeueAfter == .zero)
        #expect(try parse("\"8h\"").limits.unknownRequeueAfter == .seconds(8 * 3600))
        #expect(throws: ConfigurationError.self) { try parse("\"1h\"") }
        #expect(try loader.parse(ConfigurationTests.minimal, file: "t.toml", purpose: .daemon).limits.unknownRequeueAfter == .seconds(7 * 3600))
    }
}
