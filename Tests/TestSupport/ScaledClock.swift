import Foundation
import Synchronization
import VoiceCallAPI

/// A wall clock for end-to-end runs, shared by the daemon and the simulator:
/// it runs `rate` times faster than real time from `start`, and a test can
/// jump it forward (`advance`) to run minutes of backoff, redial interval or
/// ttl at once.
public final class TestClock: WallClock, Sendable {
    private struct State {
        var origin: Date
        var realOrigin: ContinuousClock.Instant
        var offset: TimeInterval
    }

    public let rate: Double
    private let state: Mutex<State>

    public init(start: Date = Date(), rate: Double = 1) {
        self.rate = rate
        state = Mutex(State(origin: start, realOrigin: .now, offset: 0))
    }

    public var now: Date {
        state.withLock { state in
            let (seconds, attoseconds) = (ContinuousClock.now - state.realOrigin).components
            let elapsed = TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
            return state.origin.addingTimeInterval(elapsed * rate + state.offset)
        }
    }

    public func advance(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        state.withLock { $0.offset += TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18 }
    }
}
