import Foundation

/// How many calls may be in progress at once: the platform's port quota as
/// callspool understands it (docs/scheduling.md), as a plain value type.
///
/// The configured maximum is an upper bound; the effective limit adapts (AIMD)
/// when the platform has fewer ports than configured:
/// - an acceptance that reports `idlePort` moves the limit towards the calls
///   the platform holds for us plus its idle ports (the platform's own count:
///   no rejection needed to learn it) — down when the reading is confirmed,
///   up by one port per round of acceptances (see
///   ``accepted(idlePort:callsHeld:now:)``);
/// - an acceptance without `idlePort` adds one port per round of acceptances;
/// - a port-class push-back (1020154, 1020165, disconnect 7109) multiplies the
///   limit by `decrease` at once and never leaves it above the ports in use,
///   but never takes it below the calls the platform is holding for us right
///   now (they prove it has that many ports), so a burst of refusals cannot
///   collapse it.
/// `verifyReserved` ports are kept for verify jobs: notify jobs stop earlier.
///
/// **A low `idlePort` right after a call end is not believed on its own.**
/// The platform's idle count races the disconnect push: the answer to a
/// request sent on a disconnect can still count that call's port as busy, so
/// `callsHeld + idlePort` comes out one port (or more) short. Taken at its
/// word, one such reading kept a 4-port account at 3 calls for several
/// rounds. So a reading that would lower the limit lowers it at once only
/// when no call end the limiter was told about (``callEnded(at:)``) lies
/// within `callEndGrace` before it. Inside the grace it is remembered and
/// lowers the limit only when the next acceptance's reading is low as well
/// (within `confirmWindow`), and then only to the higher of the two: a
/// transient dip is followed by a right reading, a real loss of ports is not.
/// Refusals never wait: the platform has said it is out of ports.
///
/// **Answers can overtake each other.** A reading taken while other requests
/// are in flight can miss calls the platform admitted before it (its answer
/// came first), so once the limit has been learned from the platform such a
/// reading lowers it only if even the requests in flight cannot make up the
/// difference. Before anything is learned (the configured maximum), the first
/// readings' lower bound is taken at once: a burst of requests at start-up
/// must not wait to find a smaller platform.
///
/// **A limit lowered by readings comes back within one round.** Acceptances
/// whose reading shows more ports raise it by a whole port each, up to the
/// limit in force before the readings lowered it as far as the platform has
/// carried it (``provenHeld``: it held that many calls of ours at once since
/// the last refusal), so a dip of d ports is undone by d acceptances; past
/// that, and after refusals, the increase is additive again (one port per
/// round), because a reading can also overstate the platform (a call that
/// ended there before its disconnect reached us).
///
/// Time is passed in (`now`, from the scheduler's clock): the type does no I/O
/// and is tested with plain dates.
public struct PortLimiter: Sendable, Hashable {
    public private(set) var configuredMax: Int
    public private(set) var effective: Double
    public private(set) var inUse: Int
    public var verifyReserved: Int
    public let decrease: Double
    /// A low reading within this time after a call end needs a second one.
    public let callEndGrace: TimeInterval
    /// How long a low reading waits for the one that confirms it.
    public let confirmWindow: TimeInterval

    /// The last call end the limiter was told about.
    public private(set) var lastCallEnd: Date?
    /// A low reading inside the grace, waiting for the one that confirms it.
    public private(set) var pendingLow: Reading?
    /// The most calls the platform has held for us at once since the last
    /// refusal: a limit it has carried.
    public private(set) var provenHeld = 0
    /// The limit before readings lowered it, when the platform had carried
    /// it: readings showing more ports bring it back a whole port at a time.
    /// Nil after a refusal.
    public private(set) var recoverTo: Int?
    /// The limit was learned from the platform (a reading or a refusal), not
    /// just configured.
    public private(set) var learned = false

    /// A reading of the platform's ports (`callsHeld + idlePort`) and when it came.
    public struct Reading: Sendable, Hashable {
        public var limit: Int
        public var at: Date
    }

    public init(
        configuredMax: Int, verifyReserved: Int, inUse: Int = 0, decrease: Double = 0.75, callEndGrace: TimeInterval = 2,
        confirmWindow: TimeInterval = 60
    ) {
        self.configuredMax = max(1, configuredMax)
        self.effective = Double(max(1, configuredMax))
        self.inUse = max(0, inUse)
        self.verifyReserved = max(0, verifyReserved)
        self.decrease = decrease
        self.callEndGrace = max(0, callEndGrace)
        self.confirmWindow = max(0, confirmWindow)
    }

    /// The limit as a whole number of ports.
    public var effectiveLimit: Int { max(1, Int(effective.rounded(.down))) }

    /// Ports a job of this kind may still take.
    public func available(forVerify: Bool) -> Int {
        let reserve = forVerify ? 0 : min(verifyReserved, max(0, effectiveLimit - 1))
        return max(0, effectiveLimit - reserve - inUse)
    }

    public func canAcquire(forVerify: Bool) -> Bool { available(forVerify: forVerify) > 0 }

    /// A request is about to go out: its port is counted from now (a request
    /// in flight may become a call).
    public mutating func acquire() { inUse += 1 }

    /// A request failed or a call ended.
    public mutating func release() { inUse = max(0, inUse - 1) }

    /// One of our calls ended (disconnect or CDR) at `now`: the platform's
    /// idle count may lag it for a moment.
    public mutating func callEnded(at now: Date) {
        if let last = lastCallEnd, last > now { return }
        lastCallEnd = now
    }

    /// The platform accepted a call while holding `callsHeld` of ours (this
    /// one included; nil: every port counted in use), recorded at `now` (nil:
    /// no time known, so no call end can be near it and a low reading counts
    /// at once).
    ///
    /// `idlePort` is the platform's count of free ports at admission:
    /// - 0: the platform is full, so the limit is at most the ports we have
    ///   out now (it never rises on a full platform);
    /// - more: the platform's total is about `callsHeld + idlePort`, but that
    ///   sum overstates it whenever a call has ended on the platform before
    ///   its disconnect reached us (the port is counted idle there and held
    ///   here), and every overstatement would cost a refusal. So the limit
    ///   moves towards the sum by at most `1 / limit` per acceptance (additive
    ///   increase) — by a whole port while it is below the limit readings
    ///   lowered it from (``recoverTo``).
    /// A reading below the limit (either case) lowers it at once unless a call
    /// ended within `callEndGrace` before `now` (the ended call's port can
    /// still count busy there, so the reading can understate); then it waits
    /// for the next reading, and the limit falls to the higher of the two
    /// when both are low.
    /// Without `idlePort`: additive increase.
    public mutating func accepted(idlePort: Int?, callsHeld: Int? = nil, now: Date? = nil) {
        let ceiling = Double(configuredMax)
        guard let idle = idlePort, idle >= 0 else {
            effective = min(ceiling, effective + 1 / max(1, effective))
            return
        }
        let held = callsHeld ?? inUse
        provenHeld = max(provenHeld, min(configuredMax, held))
        let reading = idle == 0 ? max(1, inUse) : min(configuredMax, max(1, held + idle))
        // Requests still in flight may have been admitted before this one
        // (answers can overtake each other): the platform may hold up to
        // that many more of ours than `held`, so such a reading only bounds
        // its ports from below. It lowers a limit learned from the platform
        // only when even that many more would not reach it.
        let inFlight = idle == 0 ? 0 : max(0, inUse - held)
        let explained = learned && inFlight > 0 && Double(reading + inFlight) >= effective
        if Double(reading) >= effective || explained {
            if !explained { pendingLow = nil }
            guard idle > 0, Double(reading) > effective else { return }
            if let target = recoverTo, effective < Double(target) {
                effective = min(Double(min(reading, target)), effective.rounded(.down) + 1)
            } else {
                effective = min(Double(reading), effective + 1 / max(1, effective))
            }
            if let target = recoverTo, effective >= Double(target) { recoverTo = nil }
            return
        }
        // A reading below the limit.
        if let now, let end = lastCallEnd, now.timeIntervalSince(end) < callEndGrace, now >= end {
            guard let pending = pendingLow, now.timeIntervalSince(pending.at) <= confirmWindow, now >= pending.at else {
                pendingLow = Reading(limit: reading, at: now)
                return
            }
            lower(to: max(reading, pending.limit))
        } else {
            lower(to: reading)
        }
    }

    /// Lowers the limit to a confirmed `reading`, remembering the limit it
    /// had (as far as the platform has carried it) for the way back.
    private mutating func lower(to reading: Int) {
        pendingLow = nil
        guard Double(reading) < effective else { return }
        let carried = max(recoverTo ?? 0, min(effectiveLimit, provenHeld))
        recoverTo = carried > reading ? carried : nil
        effective = Double(reading)
        learned = true
    }

    /// The platform said it is out of ports while holding `callsInProgress`
    /// of our calls.
    public mutating func pushedBack(callsInProgress: Int = 0) {
        let proven = Double(max(1, callsInProgress))
        effective = max(proven, min(effective * decrease, Double(max(1, inUse))))
        pendingLow = nil
        recoverTo = nil
        provenHeld = max(0, callsInProgress)
        learned = true
    }

    /// Picks up a limit learned by another dispatcher (a takeover on a
    /// shared store): never above the configured maximum, at least one port.
    public mutating func resume(learned: Int) {
        effective = Double(min(configuredMax, max(1, learned)))
        pendingLow = nil
        recoverTo = nil
        provenHeld = 0
        self.learned = true
    }

    /// A reload changed the configuration.
    public mutating func reconfigure(configuredMax: Int, verifyReserved: Int) {
        self.configuredMax = max(1, configuredMax)
        self.verifyReserved = max(0, verifyReserved)
        effective = min(effective, Double(self.configuredMax))
        if let target = recoverTo { recoverTo = min(target, self.configuredMax) }
    }
}
