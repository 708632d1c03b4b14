@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// The guard in the scheduler's pass: what is never called (suppressed
/// callees), what fails at once (login codes over a limit), what waits (the
/// daily cap), counted from the store so a restart keeps the counts.
@Suite struct GuardSchedulerTests {
    let base: SchedulerTests

    init() throws { base = try SchedulerTests() }

    func settings(_ configure: (inout Configuration.Guard) -> Void) -> SchedulerSettings {
        var settings = base.settings(ports: 50, reserved: 0)
        var rules = Configuration.Guard()
        rules.verifyPerCallee = nil
        rules.verifyPerPrefix = nil
        configure(&rules)
        settings.callGuard = rules
        return settings
    }

    func verify(_ id: String, callee: String) -> JobSpec {
        StoreFixtures.spec(id: id, verifyCode: "4829", callee: callee)
    }

    func job(_ id: String) throws -> JobDetail { try #require(try base.database.jobDetail(id: id)) }

    @Test func aLoginCodeFloodToOnePrefixIsStoppedAtTheLimitAndNobodyPastItIsCalled() async throws {
        let guarded = settings { $0.verifyPerPrefix = RateLimit(count: 3, window: .seconds(60)) }
        try base.queue((0..<5).map { verify("otp\($0)", callee: "+861391111222\($0)") } + [verify("other", callee: "+8613700000001")])
        let scheduler = try await base.scheduler(guarded)
        let pass = try await scheduler.tick()
        #expect(pass.tickets.map(\.jobId).sorted() == ["other", "otp0", "otp1", "otp2"], "three to the prefix, and another prefix is not held back")
        for id in ["otp3", "otp4"] {
            let detail = try job(id)
            #expect(detail.job.state == .failed, "failed at once, never queued behind the limit")
            #expect(detail.job.errorCode == "rate_limited")
            #expect(detail.job.errorDesc?.contains("verify_per_prefix = \"3/1m\"") == true, "\(detail.job.errorDesc ?? "")")
            #expect(detail.job.errorDesc?.contains("+861391111") == true, "names the prefix: + country code + 7 digits")
            #expect(detail.attempts.isEmpty, "nothing was sent")
        }
        // The window slides: a minute later the prefix may be called again.
        base.clock.advance(.seconds(61))
        try base.queue([verify("otp5", callee: "+8613911112225")])
        #expect(try await scheduler.tick().tickets.map(\.jobId) == ["otp5"])
    }

    @Test func theCountsComeFromTheStoreSoARestartKeepsThem() async throws {
        let guarded = settings { $0.verifyPerCallee = RateLimit(count: 2, window: .seconds(3600)) }
        try base.queue([verify("a", callee: "+8613911110000"), verify("b", callee: "+8613911110000")])
        let first = try await base.scheduler(guarded)
        #expect(try await first.tick().tickets.count == 2)
        // Another process (a restart, or the next leader) on the same store.
        let second = try await base.scheduler(guarded)
        base.clock.advance(.seconds(60))
        try base.queue([verify("c", callee: "+8613911110000")])
        #expect(try await second.tick().tickets.isEmpty)
        let refused = try job("c")
        #expect(refused.job.state == .failed && refused.job.errorCode == "rate_limited")
        #expect(refused.job.errorDesc?.contains("2 verification calls to this number in the last 1h") == true, "\(refused.job.errorDesc ?? "")")
    }

    @Test func aNumberSuppressedAfterItsJobWasQueuedIsNeverCalled() async throws {
        try base.queue([base.notify("n1", callee: "+8613800000001", campaign: "flu"), base.notify("n2", callee: "+8613800000002", campaign: "flu")])
        try base.queue([verify("code", callee: "+8613800000001")])
        _ = try base.database.suppress([
            SuppressionRecord(number: "+8613800000001", reason: "asked", source: .operator, createdAt: base.clock.now, createdBy: "alice")
        ])
        let scheduler = try await base.scheduler(settings { _ in })
        let pass = try await scheduler.tick()
        #expect(pass.tickets.map(\.jobId).sorted() == ["code", "n2"], "a login code is exempt unless suppress_verify")
        let canceled = try job("n1")
        #expect(canceled.job.state == .canceled && canceled.job.errorCode == "suppressed" && canceled.attempts.isEmpty)
        #expect(canceled.job.errorDesc?.contains("suppression list for every campaign") == true)

        try base.queue([verify("code2", callee: "+8613800000001")])
        let strict = try await base.scheduler(settings { $0.suppressVerify = true })
        #expect(try await strict.tick().tickets.isEmpty)
        #expect(try job("code2").job.state == .canceled)
    }

    @Test func theDailyCapHoldsRemindersToTheNextDayAndFailsLoginCodes() async throws {
        let capped = settings { $0.maxCallsPerDay = 2 }
        try base.queue((0..<3).map { base.notify("r\($0)", callee: "+861380000000\($0)") })
        let scheduler = try await base.scheduler(capped)
        #expect(try await scheduler.tick().tickets.count == 2)
        let waiting = try #require(try base.database.jobs(state: .queued).first)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let tomorrow = try #require(calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: base.clock.now)))
        #expect(waiting.nextAttemptAt == tomorrow, "the next day in the window's time zone")
        try base.queue([verify("code", callee: "+8613911119999")])
        #expect(try await scheduler.tick().tickets.isEmpty)
        #expect(try job("code").job.errorCode == "rate_limited", "a login code cannot wait for tomorrow")
        #expect(try job("code").job.errorDesc?.contains("max_calls_per_day = 2") == true)
    }
}
