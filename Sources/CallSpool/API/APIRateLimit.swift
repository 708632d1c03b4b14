import CallSpoolCore
import Foundation
import Synchronization
import VoiceCallAPI

/// `[api.clients.NAME] rate`: at most `count` requests per `window` for
/// each client, counted in a sliding window when the request is admitted
/// (before its body is read).
///
/// Exists so one application's loop cannot flood the store through the API.
/// Memory per client is bounded by its `count`.
final class APIRateLimit: Sendable {
    private let counters: Mutex<[String: SlidingWindowCounter]>
    private let clock: any WallClock

    init(clients: [APIClient], clock: any WallClock) {
        var counters: [String: SlidingWindowCounter] = [:]
        for client in clients {
            guard let rate = client.rate else { continue }
            counters[client.name] = SlidingWindowCounter(window: Double(rate.window.components.seconds) + Double(rate.window.components.attoseconds) / 1e18, limit: rate.count)
        }
        self.counters = Mutex(counters)
        self.clock = clock
    }

    /// Counts one request of `client`; nil when it may go on, else how many
    /// seconds until it may (for `Retry-After`).
    func admit(_ client: String) -> Int? {
        let now = clock.now
        return counters.withLock { counters -> Int? in
            guard var counter = counters[client] else { return nil }
            defer { counters[client] = counter }
            guard counter.allows(client, now: now) else {
                return max(1, Int(counter.nextAllowed(client, now: now).timeIntervalSince(now).rounded(.up)))
            }
            counter.record(client, at: now)
            return nil
        }
    }
}
