import Synchronization

/// A part of the daemon telling the watchdog it still gets work done.
///
/// systemd's watchdog restarts a daemon that stops pinging; a ping sent by a
/// loop that does nothing but ping proves only that this loop runs. Each
/// service that must not wedge (intake, scheduler, callback receiver) owns a
/// beacon; ``LivenessMonitor`` lets `WATCHDOG=1` out only while every beacon
/// shows progress. Two ways to show it:
/// - a loop that always has work (``beat()`` every iteration): stalled when
///   the last beat is older than the limit;
/// - a part that only works on demand (``enter()``/``leave()`` around each
///   piece of work): stalled when work is under way and nothing finished
///   within the limit; idle is fine.
public final class ProgressBeacon: Sendable {
    public let name: String
    private let now: @Sendable () -> ContinuousClock.Instant
    private struct State {
        var last: ContinuousClock.Instant
        var inFlight = 0
        var onDemand: Bool
    }
    private let state: Mutex<State>

    /// - Parameters:
    ///   - onDemand: true for parts that are fine when idle (see the type's doc).
    ///   - now: the monotonic clock (tests inject one).
    public init(name: String, onDemand: Bool = false, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.name = name
        self.now = now
        state = Mutex(State(last: now(), onDemand: onDemand))
    }

    /// Progress was made now.
    public func beat() {
        let instant = now()
        state.withLock { $0.last = instant }
    }

    /// A piece of on-demand work starts.
    public func enter() {
        let instant = now()
        state.withLock {
            if $0.inFlight == 0 { $0.last = instant }
            $0.inFlight += 1
        }
    }

    /// A piece of on-demand work finished: progress.
    public func leave() {
        let instant = now()
        state.withLock {
            $0.inFlight = max(0, $0.inFlight - 1)
            $0.last = instant
        }
    }

    /// How long this part has gone without progress while it should make
    /// some, or nil when it is fine.
    public func stalledFor(limit: Duration) -> Duration? {
        let instant = now()
        return state.withLock { state in
            if state.onDemand, state.inFlight == 0 { return nil }
            let quiet = instant - state.last
            return quiet > limit ? quiet : nil
        }
    }
}
