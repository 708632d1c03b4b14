import Foundation
import VoiceCallAPI

/// What the scheduler holds in memory besides the store, as one value: a
/// pass or a batch of answers whose transaction failed (full disk) is undone
/// in memory too, so nothing uncommitted is counted (or counted twice later).
struct SchedulerMemory {
    var limiter: PortLimiter
    var bucket: TokenBucket
    var displayCounter: SlidingWindowCounter
    var displayLastUsed: [String: UInt64]
    var dispatchPaused: Bool
    var inFlight: Int
    var inCall: Set<Int64>
    var probeInFlight: Bool
    var transportProbe: Int64?
    var breaker: TransportBreaker
    var slowStart: SlowStart
    var portPushBacks: Int
    var flowPushBacks: Int
    var quotaPushBacks: [PauseScope: Int]
    var halt: HaltRecord?
    var createdClock: CreatedClock
    var createdClockSwitched: Bool
    var verifyCallsStarted: [Int64: Date]
    var portsPauseSet: Bool
    var random: AnyRandom
}

extension Scheduler {
    var memory: SchedulerMemory {
        get {
            SchedulerMemory(
                limiter: limiter, bucket: bucket, displayCounter: displayCounter, displayLastUsed: displayLastUsed,
                dispatchPaused: dispatchPaused, inFlight: inFlight, inCall: inCall, probeInFlight: probeInFlight, transportProbe: transportProbe,
                breaker: breaker, slowStart: slowStart, portPushBacks: portPushBacks, flowPushBacks: flowPushBacks,
                quotaPushBacks: quotaPushBacks, halt: halt, createdClock: createdClock, createdClockSwitched: createdClockSwitched,
                verifyCallsStarted: verifyCallsStarted, portsPauseSet: portsPauseSet, random: random)
        }
        set {
            limiter = newValue.limiter
            bucket = newValue.bucket
            displayCounter = newValue.displayCounter
            displayLastUsed = newValue.displayLastUsed
            dispatchPaused = newValue.dispatchPaused
            inFlight = newValue.inFlight
            inCall = newValue.inCall
            probeInFlight = newValue.probeInFlight
            transportProbe = newValue.transportProbe
            breaker = newValue.breaker
            slowStart = newValue.slowStart
            portPushBacks = newValue.portPushBacks
            flowPushBacks = newValue.flowPushBacks
            quotaPushBacks = newValue.quotaPushBacks
            halt = newValue.halt
            createdClock = newValue.createdClock
            createdClockSwitched = newValue.createdClockSwitched
            verifyCallsStarted = newValue.verifyCallsStarted
            portsPauseSet = newValue.portsPauseSet
            random = newValue.random
        }
    }

    /// Storage came back after a halt: dispatch restarts with one request.
    public func storageRecovered() {
        if settings.slowStart { slowStart.restart() }
    }
}
