@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// The platform's `idlePort` races the disconnect push: the answer to a
/// request sent on a call end can still count that call's port as busy. A
/// single such reading must not lower the learned limit; agreeing readings
/// and refusals do; a limit lowered by readings comes back within one round.
@Suite struct PortLimiterRaceTests {
    static let start = Date(timeIntervalSince1970: 1_795_320_000)

    /// A 4-port account found from a configured 10: four calls admitted
    /// with 3, 2, 1, 0 ports left, before any call ended.
    static func learnedFour() -> PortLimiter {
        var limiter = PortLimiter(configuredMax: 10, verifyReserved: 0)
        for (index, idle) in [3, 2, 1, 0].enumerated() {
            limiter.acquire()
            limiter.accepted(idlePort: idle, callsHeld: index + 1, now: start)
        }
        return limiter
    }

    /// `count` of the calls end at `at`, a few milliseconds apart.
    static func end(_ count: Int, of limiter: inout PortLimiter, at: Date) {
        for index in 0..<count {
            limiter.release()
            limiter.callEnded(at: at.addingTimeInterval(Double(index) * 0.005))
        }
    }

    @Test func theFirstReadingsFindTheLimitAtOnce() {
        let limiter = Self.learnedFour()
        #expect(limiter.effectiveLimit == 4)
        #expect(limiter.provenHeld == 4)
    }

    @Test func aSingleLowIdlePortRightAfterACallEndDoesNotLowerTheLimit() {
        var limiter = Self.learnedFour()
        let ended = Self.start.addingTimeInterval(30)
        // Three calls end together; the refill's answer still counts one of
        // their ports busy: 2 held + 1 idle reads as 3 ports.
        Self.end(3, of: &limiter, at: ended)
        limiter.acquire()
        limiter.accepted(idlePort: 1, callsHeld: 2, now: ended.addingTimeInterval(0.02))
        #expect(limiter.effectiveLimit == 4)
        #expect(limiter.pendingLow?.limit == 3)
        // The next answer reads right: the low one is forgotten.
        limiter.acquire()
        limiter.accepted(idlePort: 1, callsHeld: 3, now: ended.addingTimeInterval(0.03))
        #expect(limiter.effectiveLimit == 4)
        #expect(limiter.pendingLow == nil)
    }

    @Test func aFullPlatformReadingRightAfterACallEndDoesNotLowerTheLimit() {
        // idlePort 0 while a port freed a moment ago still counts busy, with
        // only 3 of the 4 ports ours in use: one reading is not enough.
        var limiter = Self.learnedFour()
        let ended = Self.start.addingTimeInterval(30)
        Self.end(2, of: &limiter, at: ended)
        limiter.acquire()
        limiter.accepted(idlePort: 0, callsHeld: 3, now: ended.addingTimeInterval(0.01))
        #expect(limiter.effectiveLimit == 4)
    }

    @Test func agreeingLowReadingsLowerTheLimitToTheHigherOfThem() {
        var limiter = Self.learnedFour()
        let ended = Self.start.addingTimeInterval(30)
        Self.end(3, of: &limiter, at: ended)
        limiter.acquire()
        limiter.accepted(idlePort: 1, callsHeld: 2, now: ended.addingTimeInterval(0.02))  // 3 ports
        #expect(limiter.effectiveLimit == 4)
        Self.end(1, of: &limiter, at: ended.addingTimeInterval(0.5))
        limiter.acquire()
        limiter.accepted(idlePort: 0, callsHeld: 2, now: ended.addingTimeInterval(0.52))  // 2 ports
        #expect(limiter.effectiveLimit == 3, "both readings say at most 3")
        #expect(limiter.pendingLow == nil)
    }

    @Test func aLowReadingWithNoCallEndNearItLowersAtOnce() {
        var limiter = Self.learnedFour()
        let ended = Self.start.addingTimeInterval(30)
        Self.end(2, of: &limiter, at: ended)
        // Seconds later, past the grace: nothing can make it understate.
        limiter.acquire()
        limiter.accepted(idlePort: 0, callsHeld: 3, now: ended.addingTimeInterval(limiter.callEndGrace + 1))
        #expect(limiter.effectiveLimit == 3)
    }

    @Test func aLowReadingDoesNotWaitForeverForItsConfirmation() {
        var limiter = Self.learnedFour()
        let ended = Self.start.addingTimeInterval(30)
        Self.end(3, of: &limiter, at: ended)
        limiter.acquire()
        limiter.accepted(idlePort: 1, callsHeld: 2, now: ended.addingTimeInterval(0.02))
        // Another low reading, right after another end but long after the first.
        let later = ended.addingTimeInterval(limiter.confirmWindow + 10)
        Self.end(1, of: &limiter, at: later)
        limiter.acquire()
        limiter.accepted(idlePort: 1, callsHeld: 2, now: later.addingTimeInterval(0.01))
        #expect(limiter.effectiveLimit == 4, "a stale low reading confirms nothing")
        #expect(limiter.pendingLow?.at == later.addingTimeInterval(0.01))
    }

    @Test func anAnswerThatOvertookAnEarlierOneDoesNotLowerALearnedLimit() {
        // Slow start: the first call alone finds 4 ports; the next two go
        // together and the second admitted is answered first: 2 held + 1 idle,
        // with the first still in flight (the platform holds it already).
        var limiter = PortLimiter(configuredMax: 10, verifyReserved: 0)
        limiter.acquire()
        limiter.accepted(idlePort: 3, callsHeld: 1, now: Self.start)
        #expect(limiter.effectiveLimit == 4)
        limiter.acquire()
        limiter.acquire()
        limiter.accepted(idlePort: 1, callsHeld: 2, now: Self.start.addingTimeInterval(0.03))
        #expect(limiter.effectiveLimit == 4)
        limiter.accepted(idlePort: 2, callsHeld: 3, now: Self.start.addingTimeInterval(0.031))
        #expect(limiter.effectiveLimit == 4)
    }

    @Test func aReadingTheRequestsInFlightCannotExplainStillLowersALearnedLimit() {
        var limiter = Self.learnedFour()
        Self.end(4, of: &limiter, at: Self.start.addingTimeInterval(10))
        limiter.acquire()
        limiter.acquire()
        // This call held + 1 idle, 1 request in flight: 3 ports at most even
        // if the platform holds that one already; the reading (2) counts.
        limiter.accepted(idlePort: 1, callsHeld: 1, now: Self.start.addingTimeInterval(20))
        #expect(limiter.effectiveLimit == 2)
    }

    @Test func beforeAnythingIsLearnedARequestInFlightDoesNotDelayTheFirstLowering() {
        // A burst at start-up against the configured 10: the first answer's lower bound counts.
        var limiter = PortLimiter(configuredMax: 10, verifyReserved: 0)
        for _ in 0..<6 { limiter.acquire() }
        limiter.accepted(idlePort: 3, callsHeld: 1, now: Self.start)
        #expect(limiter.effectiveLimit == 4)
    }

    @Test func aRefusalLowersAtOnceEvenRightAfterACallEnd() {
        var limiter = Self.learnedFour()
        let ended = Self.start.addingTimeInterval(30)
        Self.end(1, of: &limiter, at: ended)
        limiter.acquire()
        limiter.pushedBack(callsInProgress: 3)
        #expect(limiter.effectiveLimit == 3)
        #expect(limiter.recoverTo == nil, "a refusal is the platform's word: back up one port per round only")
    }

    @Test func aLoweredLimitRecoversWithinOneRoundOfAcceptedCalls() {
        var limiter = Self.learnedFour()
        let ended = Self.start.addingTimeInterval(30)
        // Two agreeing low readings take it to 2.
        Self.end(3, of: &limiter, at: ended)
        limiter.acquire()
        limiter.accepted(idlePort: 0, callsHeld: 2, now: ended.addingTimeInterval(0.01))
        limiter.accepted(idlePort: 0, callsHeld: 2, now: ended.addingTimeInterval(0.02))
        #expect(limiter.effectiveLimit == 2)
        #expect(limiter.recoverTo == 4)
        // One round at 2 ports is 2 accepted calls; readings show 4 ports again.
        var accepted = 0
        let later = ended.addingTimeInterval(10)
        while limiter.effectiveLimit < 4, accepted < 2 {
            Self.end(1, of: &limiter, at: later.addingTimeInterval(Double(accepted)))
            limiter.acquire()
            limiter.accepted(idlePort: 2, callsHeld: 2, now: later.addingTimeInterval(Double(accepted) + 0.01))
            accepted += 1
        }
        #expect(limiter.effectiveLimit == 4, "after \(accepted) accepted calls")
        #expect(limiter.recoverTo == nil)
        // Past the limit it had carried, the increase is additive again.
        limiter.accepted(idlePort: 6, callsHeld: 4, now: later.addingTimeInterval(5))
        #expect(limiter.effectiveLimit == 4)
    }

    @Test func aLimitThePlatformNeverCarriedIsNotRecoveredQuickly() {
        // Found 4 from a configured 10: readings that overstate (a call ended
        // there before its disconnect reached us) raise it one port per round.
        var limiter = Self.learnedFour()
        #expect(limiter.recoverTo == nil)
        limiter.accepted(idlePort: 3, callsHeld: 4, now: Self.start.addingTimeInterval(1))
        #expect(limiter.effectiveLimit == 4)
    }
}
