/// Exponential backoff with full jitter (AWS's "full jitter"): the n-th retry
/// waits a uniformly random time in [0, min(cap, base · 2ⁿ)], so retries of
/// many jobs spread out instead of arriving together. Randomness is injected.
public struct Backoff: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(2), cap: Duration = .seconds(300)) {
        self.base = base
        self.cap = cap
    }

    /// The upper bound of the wait before retry number `attempt` (0-based).
    public func ceiling(attempt: Int) -> Duration {
        let factor = 1 << min(max(0, attempt), 30)
        let raw = base * factor
        return raw > cap ? cap : raw
    }

    /// A random wait for retry number `attempt`.
    public func delay(attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(attempt: attempt).timeInterval
        return Duration(timeInterval: Double.random(in: 0...ceiling, using: &random))
    }

    /// A wait of at least `floor` that grows with repeats, with jitter on top
    /// (for pauses: `backoff.ports` on the first push-back, more on repeats).
    public static func pause(floor: Duration, repeats: Int, cap: Duration, using random: inout some RandomNumberGenerator) -> Duration {
        let grown = floor * (1 << min(max(0, repeats), 10))
        let bounded = grown > cap ? cap : grown
        let jitter = Double.random(in: 0...(bounded.timeInterval * 0.2), using: &random)
        return bounded + Duration(timeInterval: jitter)
    }
}
