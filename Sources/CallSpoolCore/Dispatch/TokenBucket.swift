import Foundation

/// A token bucket for `limits.requests_per_second`: up to `rate` requests a
/// second on average, bursts up to `capacity`. Time is passed in, not read.
public struct TokenBucket: Sendable, Hashable {
    public var rate: Double
    public var capacity: Double
    private var tokens: Double
    private var updated: Date

    public init(rate: Double, capacity: Double? = nil, now: Date) {
        self.rate = max(0.001, rate)
        self.capacity = max(1, capacity ?? rate)
        self.tokens = self.capacity
        self.updated = now
    }

    private mutating func refill(now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updated))
        tokens = min(capacity, tokens + elapsed * rate)
        updated = now
    }

    /// Takes a token if one is there.
    public mutating func take(now: Date) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// When the next token will be there.
    public mutating func nextToken(now: Date) -> Date {
        refill(now: now)
        if tokens >= 1 { return now }
        return now.addingTimeInterval((1 - tokens) / rate)
    }
}
