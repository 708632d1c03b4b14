@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// A deterministic generator (SplitMix64) for jitter tests.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct PortLimiterTests {
    @Test func verifyReserveKeepsPortsForLoginCodes() {
        var limiter = PortLimiter(configuredMax: 10, verifyReserved: 2)
        for _ in 0..<8 { limiter.acquire() }
        #expect(!limiter.canAcquire(forVerify: false))
        #expect(limiter.available(forVerify: true) == 2)
        limiter.acquire()
        limiter.acquire()
        #expect(!limiter.canAcquire(forVerify: true))
    }

    @Test func idlePortRevealsTheRealLimitWithoutRejections() {
        var limiter = PortLimiter(configuredMax: 10, verifyReserved: 0)
        for _ in 0..<3 { limiter.acquire() }
        limiter.accepted(idlePort: 3)
        #expect(limiter.effectiveLimit == 6)
        // Idle ports raise the limit one port per round of acceptances, not at once.
        limiter.accepted(idlePort: 50)
        #expect(limiter.effectiveLimit == 6)
        for _ in 0..<40 { limiter.accepted(idlePort: 50) }
        #expect(limiter.effectiveLimit == 10)
    }

    @Test func requestsStillInFlightAreNotMistakenForPlatformPorts() {
        // 10 requests out, the first answer says 3 ports idle: the platform
        // holds 1 call of ours (the other 9 may not have reached it), so its
        // total is at least 4 — not 10 + 3.
        var limiter = PortLimiter(configuredMax: 20, verifyReserved: 0)
        for _ in 0..<10 { limiter.acquire() }
        limiter.accepted(idlePort: 3, callsHeld: 1)
        #expect(limiter.effectiveLimit == 4)
    }

    @Test func aCallEndedOnThePlatformButNotYetReportedCannotRaiseTheLimitAtOnce() {
        // 7 calls held here, but one has already ended on the platform: it says
        // 1 port is idle. 7 + 1 overstates its 7 ports; the limit must not jump.
        var limiter = PortLimiter(configuredMax: 10, verifyReserved: 0)
        for _ in 0..<7 { limiter.acquire() }
        limiter.accepted(idlePort: 0, callsHeld: 7)
        #expect(limiter.effectiveLimit == 7)
        limiter.accepted(idlePort: 1, callsHeld: 7)
        #expect(limiter.effectiveLimit == 7)
        // A full platform never raises it.
        limiter.accepted(idlePort: 0, callsHeld: 7)
        #expect(limiter.effectiveLimit == 7)
    }

    @Test func pushBackShrinksToPortsInUseAndAdditiveIncreaseRecovers() {
        var limiter = PortLimiter(configuredMax: 10, verifyReserved: 0)
        for _ in 0..<6 { limiter.acquire() }
        limiter.pushedBack()
        #expect(limiter.effectiveLimit == 6)
        limiter.pushedBack()
        #expect(limiter.effectiveLimit == 4)
        for _ in 0..<40 { limiter.accepted(idlePort: nil) }
        #expect(limiter.effectiveLimit == 10)
        for _ in 0..<100 { limiter.pushedBack() }
        #expect(limiter.effectiveLimit == 1)
    }

    @Test func aBurstOfRefusalsCannotGoBelowTheCallsThePlatformHolds() {
        var limiter = PortLimiter(configuredMax: 24, verifyReserved: 0)
        for _ in 0..<20 { limiter.acquire() }
        for _ in 0..<10 {
            limiter.release()
            limiter.pushedBack(callsInProgress: 16)
        }
        #expect(limiter.effectiveLimit == 16)
    }

    @Test func reserveNeverStarvesNotifyCompletely() {
        var limiter = PortLimiter(configuredMax: 3, verifyReserved: 2)
        limiter.pushedBack()  // effective 1 with nothing in use
        #expect(limiter.effectiveLimit == 1)
        #expect(limiter.canAcquire(forVerify: false))
    }
}

@Suite struct BackoffTests {
    @Test func ceilingDoublesUpToTheCap() {
        let backoff = Backoff(base: .seconds(2), cap: .seconds(300))
        #expect(backoff.ceiling(attempt: 0) == .seconds(2))
        #expect(backoff.ceiling(attempt: 3) == .seconds(16))
        #expect(backoff.ceiling(attempt: 20) == .seconds(300))
    }

    @Test func fullJitterStaysWithinTheCeilingAndSpreads() {
        var random = SeededRandom(state: 42)
        let backoff = Backoff()
        let delays = (0..<200).map { _ in backoff.delay(attempt: 4, using: &random) }
        #expect(delays.allSatisfy { $0 >= .zero && $0 <= .seconds(32) })
        #expect(Set(delays.map { Int($0.timeInterval) }).count > 10)
    }

    @Test func pauseGrowsOnRepeats() {
        var random = SeededRandom(state: 1)
        let first = Backoff.pause(floor: .seconds(60), repeats: 0, cap: .seconds(3600), using: &random)
        let third = Backoff.pause(floor: .seconds(60), repeats: 2, cap: .seconds(3600), using: &random)
        #expect(first >= .seconds(60) && first <= .seconds(72))
        #expect(third >= .seconds(240) && third <= .seconds(288))
    }
}

@Suite struct RateTests {
    @Test func tokenBucketLimitsRequestsPerSecond() {
        let start = Date(timeIntervalSince1970: 0)
        var bucket = TokenBucket(rate: 20, now: start)
        let taken = (0..<30).filter { _ in bucket.take(now: start) }.count
        #expect(taken == 20)
        let next = bucket.nextToken(now: start)
        #expect(next == start.addingTimeInterval(0.05))
        let refilled = bucket.take(now: start.addingTimeInterval(0.051))
        let again = bucket.take(now: start.addingTimeInterval(0.051))
        #expect(refilled)
        #expect(!again)
    }

    @Test func slidingWindowCountsPerKey() {
        let start = Date(timeIntervalSince1970: 0)
        var counter = SlidingWindowCounter(window: 60, limit: 2)
        counter.record("a", at: start)
        counter.record("a", at: start.addingTimeInterval(10))
        let full = counter.allows("a", now: start.addingTimeInterval(20))
        let other = counter.allows("b", now: start.addingTimeInterval(20))
        let next = counter.nextAllowed("a", now: start.addingTimeInterval(20))
        let later = counter.allows("a", now: start.addingTimeInterval(61))
        #expect(!full)
        #expect(other)
        #expect(next == start.addingTimeInterval(60))
        #expect(later)
    }
}

@Suite struct CallingWindowScheduleTests {
    let shanghai = CallingWindow(startMinute: 9 * 60, endMinute: 20 * 60, timeZone: "Asia/Shanghai")

    @Test func containsUsesTheWindowsTimeZone() throws {
        // 2026-11-22 09:30 in Shanghai is 01:30 UTC.
        let inside = try #require(Timestamp.parse("2026-11-22T01:30:00Z"))
        let before = try #require(Timestamp.parse("2026-11-22T00:59:00Z"))
        let after = try #require(Timestamp.parse("2026-11-22T12:00:00Z"))
        #expect(shanghai.contains(inside))
        #expect(!shanghai.contains(before))
        #expect(!shanghai.contains(after))
    }

    @Test func nextOpeningIsTodayOrTomorrow() throws {
        let early = try #require(Timestamp.parse("2026-11-22T00:00:00Z"))  // 08:00 Shanghai
        #expect(shanghai.nextOpening(after: early) == Timestamp.parse("2026-11-22T01:00:00Z"))
        let late = try #require(Timestamp.parse("2026-11-22T13:00:00Z"))  // 21:00 Shanghai
        #expect(shanghai.nextOpening(after: late) == Timestamp.parse("2026-11-23T01:00:00Z"))
    }

    @Test func windowAcrossMidnight() throws {
        let night = CallingWindow(startMinute: 22 * 60, endMinute: 6 * 60, timeZone: "UTC")
        #expect(night.contains(try #require(Timestamp.parse("2026-11-22T23:00:00Z"))))
        #expect(night.contains(try #require(Timestamp.parse("2026-11-22T05:59:00Z"))))
        #expect(!night.contains(try #require(Timestamp.parse("2026-11-22T12:00:00Z"))))
    }
}
