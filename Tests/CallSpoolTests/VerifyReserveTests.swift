@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// The verify reserve in `auto` mode: 0 without verify demand in the window,
/// else the smallest r ≥ 1 with Erlang-B blocking ≤ 1 %, capped.
@Suite struct VerifyReserveTests {
    /// Erlang-B by its definition, independent of the recursion under test:
    /// B = (Aⁿ/n!) / Σₖ₌₀ⁿ Aᵏ/k!.
    static func erlangB(_ n: Int, _ a: Double) -> Double {
        var term = 1.0
        var sum = 1.0
        if n > 0 {
            for k in 1...n {
                term *= a / Double(k)
                sum += term
            }
        }
        return term / sum
    }

    /// The smallest r ≥ 1 with B(r, a) ≤ 1 %, by the definition.
    static func expectedReserve(_ a: Double) -> Int {
        var r = 1
        while erlangB(r, a) > 0.01 { r += 1 }
        return r
    }

    @Test(arguments: [(0, 0.5), (1, 0.5), (2, 1.0), (3, 2.5), (5, 4.0), (10, 7.5), (20, 15.0)])
    func theRecursionMatchesTheDefinition(servers: Int, load: Double) {
        #expect(abs(ErlangB.blocking(servers: servers, load: load) - Self.erlangB(servers, load)) < 1e-12)
    }

    /// λ (verify jobs per hour), D (seconds a verify call holds a port) → r.
    @Test(arguments: [(1, 30.0), (6, 30.0), (60, 30.0), (120, 45.0), (360, 40.0), (720, 60.0), (1800, 30.0)])
    func sizingFollowsErlangB(perHour: Int, hold: Double) {
        var reserve = VerifyReserve(mode: .auto, window: 3600, maxReserve: 100)
        let now = Date(timeIntervalSince1970: 2_000_000)
        for n in 0..<perHour { reserve.sawVerifyJob(Int64(n), createdAt: now.addingTimeInterval(-Double(n) * 3600 / Double(perHour))) }
        for _ in 0..<10 { reserve.verifyCallHeld(hold) }
        let load = Double(perHour) / 3600 * hold
        let sized = reserve.size(now: now, learnedLimit: 1000)
        #expect(sized.ports == Self.expectedReserve(load), "λ=\(perHour)/h D=\(hold)s A=\(load): \(sized.reason)")
        #expect(sized.reason.hasPrefix("auto"))
    }

    @Test func noVerifyJobInTheWindowMeansNoReserve() {
        var reserve = VerifyReserve(mode: .auto, window: 3600)
        let now = Date(timeIntervalSince1970: 2_000_000)
        #expect(reserve.size(now: now, learnedLimit: 10).ports == 0)
        reserve.sawVerifyJob(1, createdAt: now.addingTimeInterval(-3599))
        #expect(reserve.size(now: now, learnedLimit: 10).ports == 1)
        // An hour later the one job has left the window.
        #expect(reserve.size(now: now.addingTimeInterval(2), learnedLimit: 10).ports == 0)
    }

    @Test func theMeanHoldDefaultsTo30sAndFollowsMeasuredCalls() {
        var reserve = VerifyReserve(mode: .auto)
        #expect(reserve.meanHoldSeconds == 30)
        reserve.verifyCallHeld(10)
        reserve.verifyCallHeld(20)
        #expect(reserve.meanHoldSeconds == 15)
    }

    @Test func theCapIsHalfTheLearnedLimitOrTheConfiguredMax() {
        let now = Date(timeIntervalSince1970: 2_000_000)
        var reserve = VerifyReserve(mode: .auto, window: 3600)
        for n in 0..<5_000 { reserve.sawVerifyJob(Int64(n), createdAt: now.addingTimeInterval(-Double(n) / 2)) }
        #expect(reserve.size(now: now, learnedLimit: 7).ports == 3)
        #expect(reserve.size(now: now, learnedLimit: 4).ports == 2)
        reserve.maxReserve = 1
        #expect(reserve.size(now: now, learnedLimit: 10).ports == 1)
        #expect(reserve.size(now: now, learnedLimit: 10).reason.contains("capped"))
    }

    @Test func aFixedReserveIsPinnedBelowTheLimit() {
        var reserve = VerifyReserve(mode: .fixed(2))
        #expect(reserve.size(now: Date(), learnedLimit: 10).ports == 2)
        #expect(reserve.size(now: Date(), learnedLimit: 2).ports == 1)
    }

    @Test func aCampaignAloneUsesEveryPortAndAVerifyJobBringsTheReserve() async throws {
        let base = try SchedulerTests()
        var settings = base.settings(ports: 4, reserved: 0)
        settings.limits.verifyReserveAuto = true
        try base.queue((0..<20).map { base.notify("c\($0)", callee: "+86138" + String(format: "%08d", $0)) })
        let scheduler = try await base.scheduler(settings)
        let campaign = try await scheduler.tick().tickets
        #expect(campaign.count == 4, "no verify demand: all 4 ports for the campaign")
        #expect(await scheduler.reserveFigure.ports == 0)
        for ticket in campaign { try await scheduler.complete(ticket, with: SchedulerTests.accepted("s-\(ticket.jobRowId)")) }
        try base.queue([base.verify("otp")])
        // Ports full: the code waits for the first port that frees, ahead of the campaign.
        #expect(try await scheduler.tick().tickets.isEmpty)
        let ended = campaign[0].jobRowId
        try await base.database.write { db in try db.execute("UPDATE job SET state = 'completed' WHERE id = ?", [ended]) }
        await scheduler.callEnded(CallEndSignal(jobRowId: ended, sessionId: "s", outcome: .answered, stateCode: 0, app: "default"))
        let next = try await scheduler.tick().tickets
        #expect(next.map(\.jobId) == ["otp"])
        #expect(await scheduler.reserveFigure.ports == 1)
        #expect(await scheduler.reserveFigure.reason.contains("auto"))
    }
}
