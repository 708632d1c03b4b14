import Foundation
import Logging
import VoiceCallAPI

/// What the ``Scheduler`` keeps in memory besides the store and its
/// settings, as one value: the learned port limit and the ports in use, the
/// request budget (tokens, display-number uses), slow start, the transport
/// breaker, the halt and its probe, push-backs in a row, the verify
/// reserve's demand, the `Created` convention.
///
/// It is a value so that planning can work on a copy. A pass or a batch of
/// answers is planned inside the store's transaction by a
/// ``DispatchPlanner`` holding its own copy; the scheduler takes the planned
/// value (``SchedulerPlan``) only after the transaction has committed. So a
/// transaction that fails (full disk) leaves the scheduler's memory exactly
/// as it was, by construction: nothing was changed, nothing is undone.
struct SchedulerState: Sendable {
    var limiter: PortLimiter
    var bucket: TokenBucket
    var displayCounter: SlidingWindowCounter
    /// When each display number was last used, as a use sequence number (not
    /// a time: one pass stamps every request with the same `now`, which tied
    /// every number after two picks and sent the rest of the pass to one).
    var displayLastUsed: [String: UInt64] = [:]
    var displayUses: UInt64 = 0
    /// Requests sent (or about to be) whose answer is not recorded yet.
    var inFlight = 0
    /// Jobs whose call holds a port (`in_call`): recounted from the store at
    /// every pass, added on acceptance, removed when the call ends. A set, so
    /// an end already seen by the recount is not subtracted twice (which
    /// would understate the ports in use and make the limiter learn a limit
    /// lower than the platform's).
    var inCall: Set<Int64> = []
    var createdClock: CreatedClock
    /// Push-backs in a row and whether the `Created` convention was switched
    /// (what ``DispatchPolicy`` decides with and updates).
    var remembered = DispatchPolicy.Memory()
    var halt: HaltRecord?
    /// The halt's probe request is out.
    var probeInFlight = false
    var breaker = TransportBreaker()
    /// The job whose request is the breaker's probe, while it is in flight.
    var transportProbe: Int64?
    var reserve: VerifyReserve
    var reserveInForce: (ports: Int, reason: String) = (0, "not sized yet")
    /// When each verify call in progress was accepted, for its hold time.
    var verifyCallsStarted: [Int64: Date] = [:]
    var slowStart: SlowStart
    /// A dispatch-wide pause (global, ports, transport) was in force at the
    /// last pass: when it ends, dispatch restarts slowly.
    var dispatchPaused = false
    /// A `ports` pause may be stored: the next call end clears it.
    var portsPauseSet = false
    var warnedNoDisplayNumber = false
    /// Calls placed by this application since the start of the day
    /// (`[guard] max_calls_per_day`): read once per day, then counted.
    var dailyCalls: (dayStart: Date, count: Int)?
    /// The jitter of backoffs; a plan that is not applied draws nothing.
    var random: AnyRandom

    init(settings: SchedulerSettings, now: Date, random: AnyRandom) {
        limiter = PortLimiter(configuredMax: settings.limits.maxConcurrentCalls, verifyReserved: settings.limits.verifyReservedPorts)
        bucket = TokenBucket(rate: Double(settings.limits.requestsPerSecond), now: now)
        displayCounter = SlidingWindowCounter(window: 60, limit: settings.limits.perDisplayNumberPerMinute)
        createdClock = settings.createdClock.initial
        slowStart = SlowStart(startingNow: settings.slowStart)
        reserve = VerifyReserve(settings.limits)
        limiter.verifyReserved = reserve.mode == .auto || !settings.appServesBoth ? 0 : settings.limits.verifyReservedPorts
        self.random = random
    }

    var callsInProgress: Int { inCall.count }

    /// Ports in use = calls in progress + requests in flight.
    mutating func syncPortsInUse() {
        limiter.setInUse(inCall.count + inFlight)
    }

    /// Sizes the verify reserve for now and the learned limit, and applies
    /// it; returns the log line when the reserve changed. An application
    /// that serves one type only keeps no reserve: no campaign of its own can
    /// delay its login codes.
    mutating func resizeReserve(now: Date, settings: SchedulerSettings) -> SchedulerNote? {
        let sized = settings.appServesBoth
            ? reserve.size(now: now, learnedLimit: limiter.effectiveLimit)
            : (ports: 0, reason: "application \(settings.app) serves only one job type")
        let note: SchedulerNote? = sized.ports == limiter.verifyReserved ? nil : .log(.info, "verify reserve changed", [
            "ports": "\(sized.ports)", "was": "\(limiter.verifyReserved)", "why": "\(sized.reason)",
        ])
        limiter.verifyReserved = sized.ports
        reserveInForce = sized
        // Calls whose end never came (lease expired) are not hold samples.
        let stale = now.addingTimeInterval(-settings.limits.callLease.timeInterval)
        if verifyCallsStarted.count > 1_000 || verifyCallsStarted.values.contains(where: { $0 < stale }) {
            verifyCallsStarted = verifyCallsStarted.filter { $0.value >= stale }
        }
        return note
    }
}

extension PortLimiter {
    /// Sets the ports in use from the store's count plus requests in flight.
    mutating func setInUse(_ count: Int) {
        while inUse < count { acquire() }
        while inUse > count { release() }
    }
}

/// What a committed plan has to say: log lines and metrics that describe
/// decisions. They are emitted only once the decisions hold, so a pass
/// whose commit failed announces nothing it did not do, and a batch of
/// answers recorded again after a failed commit is counted once.
enum SchedulerNote {
    case log(Logger.Level, Logger.Message, Logger.Metadata = [:])
    /// One answer of the platform, for the requests metric.
    case request(CallAttemptResult)
    case transportTrip
    case displayNumberRetired(code: String)
    /// The guard kept a job from its call (`limit`: the rule, or `suppressed`).
    case guardRefusal(limit: String)
}

/// The outcome of planning a pass or a batch of answers inside one store
/// transaction: what it returns to the caller (`value`), the scheduler's
/// memory after it (`state`) and what it announces (`notes`).
///
/// The scheduler applies it (``Scheduler/apply(_:)``) only after
/// ``CallStore/dispatchTransaction(_:)`` returned, that is after the commit:
/// the decisions recorded in the store and the memory that depends on them
/// change together or not at all. The memory after is carried whole rather
/// than as a list of changes to replay, so applying it is one assignment that
/// cannot disagree with what the planning saw.
struct SchedulerPlan<Value> {
    var value: Value
    var state: SchedulerState
    var notes: [SchedulerNote]
}
