import Foundation

/// What becomes of a webhook delivery after one try: the retry rules as a
/// plain value, decided without I/O (unit-tested on its own).
///
/// Rules: a 2xx delivers. Timeouts, connection errors, 408, 429 and 5xx
/// are retried after an exponential backoff (``base`` doubling up to
/// ``cap``) with full jitter in its upper half, until the delivery's
/// `giveUpAt`; a retry that would fall after it gives up. Any other status
/// (a 3xx: redirects are not followed; a 4xx) gives up at once: the
/// receiver refused the request and sending it again will not change that.
public struct WebhookRetryPolicy: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(5), cap: Duration = .seconds(3_600)) {
        self.base = base
        self.cap = cap
    }

    /// One try's result as the sender saw it.
    public enum TryResult: Sendable, Hashable {
        /// The receiver answered with this status.
        case status(Int)
        /// No answer: a timeout, a refused or reset connection, a TLS failure.
        case transportFailure(String)
    }

    /// The decision on a delivery after a try.
    public enum Decision: Sendable, Hashable {
        case delivered(status: Int)
        case retry(at: Date, status: Int?, error: String)
        case gaveUp(status: Int?, error: String, reason: GiveUpReason)
    }

    public enum GiveUpReason: String, Sendable, Hashable {
        /// The receiver refused it (4xx, 3xx).
        case rejected
        /// It failed until `max_age` ran out.
        case expired
    }

    /// `attempt`: the try just made (1 for the first). `random` in [0, 1).
    public func decide(_ result: TryResult, attempt: Int, now: Date, giveUpAt: Date, random: Double) -> Decision {
        let status: Int?
        let error: String
        switch result {
        case .status(let code) where (200..<300).contains(code):
            return .delivered(status: code)
        case .status(let code) where code == 408 || code == 429 || (500..<600).contains(code):
            status = code
            error = "HTTP \(code)"
        case .status(let code):
            return .gaveUp(status: code, error: "HTTP \(code): the receiver refused the event (not retried)", reason: .rejected)
        case .transportFailure(let reason):
            status = nil
            error = reason
        }
        let delay = self.delay(afterAttempt: attempt, random: random)
        let at = now.addingTimeInterval(delay)
        guard at < giveUpAt else { return .gaveUp(status: status, error: error + "; given up after max_age", reason: .expired) }
        return .retry(at: at, status: status, error: error)
    }

    /// base × 2^(attempt−1), at most `cap`, then a uniform pick in its upper half.
    public func delay(afterAttempt attempt: Int, random: Double) -> TimeInterval {
        let baseSeconds = Double(base.components.seconds) + Double(base.components.attoseconds) / 1e18
        let capSeconds = Double(cap.components.seconds)
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let full = min(capSeconds, baseSeconds * pow(2, exponent))
        return full / 2 + full / 2 * min(max(random, 0), 1)
    }
}
