@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// What a job becomes when its call ends, without a store.
@Suite struct CallEndingPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(calls: Int = 1, redial: RedialPolicy? = RedialPolicy(maxAttempts: 3, interval: .seconds(600), on: [.noAnswer]), cancel: Bool = false,
                    expiresIn: TimeInterval = 86_400) throws -> JobRecord {
        var spec = StoreFixtures.spec(id: "j")
        spec.redial = redial
        let database = try AppDatabase.inMemory()
        _ = try database.insertJobs([spec], intakeKey: "k", sourceFile: "f", policy: IntakePolicy(), now: now)
        var job = try #require(try database.jobDetail(id: "j")?.job)
        job.calls = calls
        job.cancelRequested = cancel
        job.expiresAt = now.addingTimeInterval(expiresIn)
        return job
    }

    @Test func aThrottledCallIsTriedAgainWithoutCounting() throws {
        #expect(CallEndingPolicy.next(for: try Self.job(), outcome: .throttled, now: Self.now) == .retry(at: Self.now.addingTimeInterval(60), giveCallBack: true))
        #expect(CallEndingPolicy.next(for: try Self.job(cancel: true), outcome: .throttled, now: Self.now) == .complete, "a cancel stops it")
    }

    @Test func anOutcomeTheRedialPolicyNamesIsCalledAgainWhileCallsAndTimeRemain() throws {
        #expect(CallEndingPolicy.next(for: try Self.job(), outcome: .noAnswer, now: Self.now) == .retry(at: Self.now.addingTimeInterval(600), giveCallBack: false))
        #expect(CallEndingPolicy.next(for: try Self.job(), outcome: .busy, now: Self.now) == .complete, "busy is not listed")
        #expect(CallEndingPolicy.next(for: try Self.job(calls: 3), outcome: .noAnswer, now: Self.now) == .complete, "attempts used up")
        #expect(CallEndingPolicy.next(for: try Self.job(expiresIn: 300), outcome: .noAnswer, now: Self.now) == .complete, "past the expiry")
        #expect(CallEndingPolicy.next(for: try Self.job(redial: nil), outcome: .noAnswer, now: Self.now) == .complete)
        #expect(CallEndingPolicy.next(for: try Self.job(), outcome: .answered, now: Self.now) == .complete)
    }
}
