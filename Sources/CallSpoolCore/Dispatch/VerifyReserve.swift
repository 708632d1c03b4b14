import Foundation

/// How many ports to keep free for verify jobs, sized by their demand.
///
/// A login code must not wait for a campaign call to end, but ports held back
/// for codes that never come slow every campaign down (a fixed reserve of 2
/// on a 4-port account halves it). So in `auto` mode the reserve follows the
/// demand: 0 while no verify job was seen in the demand window; otherwise
/// the smallest r ≥ 1 whose Erlang-B blocking B(r, λ·D) is at most 1 %, with
/// λ the verify arrival rate over the window and D the mean time a verify
/// call holds a port (measured from its own calls; 30 s until there are
/// any), capped at `maxReserve` (default half the learned limit). A plain
/// value: the scheduler records arrivals and call ends, and asks.
struct VerifyReserve: Sendable, Hashable {
    enum Mode: Sendable, Hashable {
        case auto
        case fixed(Int)
    }

    var mode: Mode
    /// The window over which verify arrivals are counted.
    var window: TimeInterval
    /// 0: half the learned limit.
    var maxReserve: Int
    /// The blocking probability the reserve is sized for.
    var target = 0.01
    /// Assumed until the first verify call has ended.
    var defaultHoldSeconds: TimeInterval = 30

    /// Arrival times of verify jobs within the window, by job row id.
    private(set) var arrivals: [Int64: Date] = [:]
    /// Recent port-hold times of verify calls, newest last.
    private(set) var holds: [TimeInterval] = []
    static let holdSamples = 50

    init(mode: Mode, window: TimeInterval = 3600, maxReserve: Int = 0) {
        self.mode = mode
        self.window = window
        self.maxReserve = maxReserve
    }

    /// A verify job was seen (queued or sent); `createdAt` is when it arrived.
    mutating func sawVerifyJob(_ rowID: Int64, createdAt: Date) {
        if arrivals[rowID] == nil { arrivals[rowID] = createdAt }
    }

    /// A verify call ended after holding its port `seconds`.
    mutating func verifyCallHeld(_ seconds: TimeInterval) {
        guard seconds >= 0, seconds.isFinite else { return }
        holds.append(seconds)
        if holds.count > Self.holdSamples { holds.removeFirst(holds.count - Self.holdSamples) }
    }

    var meanHoldSeconds: TimeInterval {
        holds.isEmpty ? defaultHoldSeconds : holds.reduce(0, +) / Double(holds.count)
    }

    /// The reserve in force at `now` with the learned port limit, and why.
    mutating func size(now: Date, learnedLimit: Int) -> (ports: Int, reason: String) {
        let cutoff = now.addingTimeInterval(-window)
        arrivals = arrivals.filter { $0.value > cutoff }
        let cap = maxReserve > 0 ? maxReserve : max(0, learnedLimit / 2)
        // Never the whole limit: notify jobs must keep at least one port.
        let bound = max(0, min(cap, learnedLimit - 1))
        switch mode {
        case .fixed(let ports):
            let pinned = min(ports, max(0, learnedLimit - 1))
            return (pinned, "fixed by limits.verify_reserved_ports = \(ports)")
        case .auto:
            guard !arrivals.isEmpty else {
                return (0, "auto: no verify job in the last \(DurationText.format(Duration(timeInterval: window)))")
            }
            // The rate over the whole window: a burst raises it for an
            // hour, a single code barely (it smooths).
            let rate = Double(arrivals.count) / max(1, window)
            let load = rate * meanHoldSeconds
            let wanted = ErlangB.servers(for: load, blocking: target, minimum: 1, ceiling: 10_000)
            let ports = min(wanted, bound)
            let text = String(format: "auto: %d verify jobs in the window, %.4f/s × %.0f s held = %.3f erlang → B(%d) ≤ 1 %%", arrivals.count, rate, meanHoldSeconds, load, ports)
            return (ports, ports < wanted ? text + " (capped at \(bound))" : text)
        }
    }
}
