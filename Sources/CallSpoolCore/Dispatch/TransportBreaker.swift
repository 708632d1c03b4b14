import Foundation

/// The circuit breaker over requests whose fate is unknown (the transport
/// class of docs/result-codes.md): a platform or proxy that drops connections after
/// reading the request would otherwise turn the whole queue into `unknown`
/// at full speed, jobs that are then never re-sent.
///
/// After `threshold` uncertain answers within `window` it trips: all
/// dispatch pauses; when the pause ends one probe request goes alone, and
/// only an answer (any platform answer) closes the breaker again. A plain
/// value: the scheduler stores the pause, this decides.
struct TransportBreaker: Sendable, Hashable {
    var threshold = 3
    var window: TimeInterval = 60
    /// Times of the recent uncertain answers, oldest first.
    private(set) var recent: [Date] = []
    /// Tripped: dispatch waits for the pause to end, then sends one probe.
    private(set) var isOpen = false
    /// Trips in a row without an answer in between, for the growing pause.
    private(set) var trips = 0

    /// Records an uncertain answer to an ordinary request; returns true when
    /// this one trips the breaker. While it is open, answers to requests sent
    /// before it tripped change nothing (the pause is already running).
    mutating func recordUncertain(at now: Date) -> Bool {
        guard !isOpen else { return false }
        recent.append(now)
        recent.removeAll { now.timeIntervalSince($0) > window }
        guard recent.count >= threshold else { return false }
        isOpen = true
        trips += 1
        recent.removeAll()
        return true
    }

    /// Records a probe that got no answer (lost after sending, or not even
    /// sent): still no evidence the path to the platform works, so the
    /// breaker trips again, for longer.
    mutating func recordProbeFailed() {
        isOpen = true
        trips += 1
    }

    /// The platform answered: the path works again.
    mutating func recordAnswer() {
        isOpen = false
        trips = 0
        recent.removeAll()
    }

    /// Restores a tripped breaker found in the store at start-up.
    mutating func restoreOpen() {
        isOpen = true
        trips = max(trips, 1)
    }
}
