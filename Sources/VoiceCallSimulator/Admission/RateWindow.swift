/// Event times within a sliding window, for the platform's rate limits.
struct RateWindow: Sendable, Hashable {
    private var times: [Double] = []
    private var head = 0

    /// Events in (now - window, now].
    mutating func count(now: Double, window: Double) -> Int {
        prune(before: now - window)
        return times.count - head
    }

    mutating func record(_ time: Double) {
        times.append(time)
    }

    private mutating func prune(before cutoff: Double) {
        while head < times.count, times[head] <= cutoff { head += 1 }
        if head > 256, head * 2 > times.count {
            times.removeFirst(head)
            head = 0
        }
    }
}
