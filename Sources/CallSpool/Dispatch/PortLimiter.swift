/// How many calls may be in progress at once: the platform's port quota as
/// callspool understands it (DESIGN §6), as a plain value type.
///
/// The configured maximum is an upper bound; the effective limit adapts (AIMD)
/// when the platform has fewer ports than configured:
/// - an acceptance that reports `idlePort` sets the limit to ports in use plus
///   idle ports (the platform's own count: no rejection needed to learn it);
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

    /// The platform accepted a call.
    public mutating func accepted(idlePort: Int?) {
        if let idle = idlePort, idle >= 0 {
            effective = Double(min(configuredMax, max(1, inUse + idle)))
        } else {
            effective = min(Double(configuredMax), effective + 1 / max(1, effective))
        }
    }

    /// The platform said it is out of ports while holding `callsInProgress`
    /// of our calls.
    public mutating func pushedBack(callsInProgress: Int = 0) {
        let proven = Double(max(1, callsInProgress))
        effective = max(proven, min(effective * decrease, Double(max(1, inUse))))
    }

    /// A reload changed the configuration.
    public mutating func reconfigure(configuredMax: Int, verifyReserved: Int) {
        self.configuredMax = max(1, configuredMax)
        self.verifyReserved = max(0, verifyReserved)
        effective = min(effective, Double(self.configuredMax))
    }
}
