/// Slow start (as TCP's): after start-up, a halt probe or the end of a
/// dispatch-wide pause, one request goes alone and the number of requests
/// allowed in flight grows by one per accepted answer — it doubles per round
/// of accepted answers — until it reaches the port limit, where slow start
/// ends.
///
/// It bounds what a wrong configuration costs (a bad secret sends exactly one
/// doomed request before the halt, not a port limit's worth) and what a
/// platform that drops connections costs (one request in flight while
/// nothing is answered, so the transport breaker trips after 3 lost requests,
/// not after a whole pass). A plain value: the scheduler asks and tells.
struct SlowStart: Sendable, Hashable {
    /// Requests allowed in flight; nil when slow start is over.
    private(set) var window: Int?

    init(startingNow: Bool = true) { window = startingNow ? 1 : nil }

    /// Whether another request may go with `inFlight` already out.
    func allows(inFlight: Int) -> Bool {
        guard let window else { return true }
        return inFlight < window
    }

    /// Starts over from one request.
    mutating func restart() { window = 1 }

    /// An accepted answer: one more request may be in flight; slow start ends
    /// once the window reaches `limit` (the port limit in force).
    mutating func accepted(limit: Int) {
        guard let current = window else { return }
        let next = current + 1
        window = next >= limit ? nil : next
    }

    var isActive: Bool { window != nil }
}
