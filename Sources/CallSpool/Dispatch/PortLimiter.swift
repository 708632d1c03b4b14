/// How many calls may be in progress at once: the platform's port quota as
/// callspool understands it (docs/scheduling.md), as a plain value type.
///
/// The configured maximum is an upper bound; the effective limit adapts (AIMD)
/// when the platform has fewer ports than configured:
/// - an acceptance that reports `idlePort` moves the limit towards the calls
///   the platform holds for us plus its idle ports (the platform's own count:
///   no rejection needed to learn it) — down at once, up by one port per
///   round of acceptances (see ``accepted(idlePort:callsHeld:)``);
/// - an acceptance without `idlePort` adds one port per round of acceptances;
/// - a port-class push-back (1020154, 1020165, disconnect 7109) multiplies the
///   limit by `decrease` and never leaves it above the ports in use, but never
///   takes it below the calls the platform is holding for us right now (they
///   prove it has that many ports), so a burst of refusals cannot collapse it.
/// `verifyReserved` ports are kept for verify jobs: notify jobs stop earlier.
public struct PortLimiter: Sendable, Hashable {
    public private(set) var configuredMax: Int
    public private(set) var effective: Double
    public private(set) var inUse: Int
    public var verifyReserved: Int
    public let decrease: Double

    public init(configuredMax: Int, verifyReserved: Int, inUse: Int = 0, decrease: Double = 0.75) {
        self.configuredMax = max(1, configuredMax)
        self.effective = Double(max(1, configuredMax))
        self.inUse = max(0, inUse)
        self.verifyReserved = max(0, verifyReserved)
        self.decrease = decrease
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

    /// The platform accepted a call while holding `callsHeld` of ours (this
    /// one included; nil: every port counted in use).
    ///
    /// `idlePort` is the platform's count of free ports at admission:
    /// - 0: the platform is full, so the limit is at most the ports we have
    ///   out now (it never rises on a full platform);
    /// - more: the platform's total is about `callsHeld + idlePort`, but that
    ///   sum overstates it whenever a call has ended on the platform before
    ///   its disconnect reached us (the port is counted idle there and held
    ///   here), and every overstatement would cost a refusal. So the limit
    ///   moves towards the sum by at most `1 / limit` per acceptance (additive
    ///   increase), and falls to it at once when the sum is lower.
    /// Without `idlePort`: additive increase.
    public mutating func accepted(idlePort: Int?, callsHeld: Int? = nil) {
        let ceiling = Double(configuredMax)
        guard let idle = idlePort, idle >= 0 else {
            effective = min(ceiling, effective + 1 / max(1, effective))
            return
        }
        if idle == 0 {
            effective = min(effective, Double(max(1, inUse)))
            return
        }
        let sum = Double(min(configuredMax, max(1, (callsHeld ?? inUse) + idle)))
        effective = sum > effective ? min(sum, effective + 1 / max(1, effective)) : sum
    }

    /// The platform said it is out of ports while holding `callsInProgress`
    /// of our calls.
    public mutating func pushedBack(callsInProgress: Int = 0) {
        let proven = Double(max(1, callsInProgress))
        effective = max(proven, min(effective * decrease, Double(max(1, inUse))))
    }

    /// A reload changed the configuration.
    /// Picks up a limit learned by another dispatcher (a takeover on a
    /// shared store): never above the configured maximum, at least one port.
    public mutating func resume(learned: Int) {
        effective = Double(min(configuredMax, max(1, learned)))
    }

    public mutating func reconfigure(configuredMax: Int, verifyReserved: Int) {
        self.configuredMax = max(1, configuredMax)
        self.verifyReserved = max(0, verifyReserved)
        effective = min(effective, Double(self.configuredMax))
    }
}
