import CallSpool
import Foundation
import Synchronization
import VoiceCallAPI

/// A wall clock for end-to-end runs, shared by the daemon and the simulator:
/// it runs `rate` times faster than real time from `start`, and a test can
/// jump it forward (`advance`) to run minutes of backoff, redial interval or
/// ttl at once.
final class TestClock: WallClock, Sendable {
    private struct State {
        var origin: Date
        var realOrigin: ContinuousClock.Instant
        var offset: TimeInterval
    }

    let rate: Double
    private let state: Mutex<State>

    init(start: Date = Date(), rate: Double = 1) {
        self.rate = rate
        state = Mutex(State(origin: start, realOrigin: .now, offset: 0))
    }

    var now: Date {
        state.withLock { state in
            let elapsed = (ContinuousClock.now - state.realOrigin).timeInterval
            return state.origin.addingTimeInterval(elapsed * rate + state.offset)
        }
    }

    func advance(_ duration: Duration) {
        state.withLock { $0.offset += duration.timeInterval }
    }
}
