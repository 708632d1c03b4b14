import Foundation
import VoiceCallAPI

/// Status events the store could not take (full disk), kept in memory until
/// it can: the platform never re-pushes status events, so without this a
/// short disk-full would lose their digits and outcomes (fee CDRs are
/// re-pushed by the platform after the 503, so they are not kept here).
///
/// Bounded in count and age: the oldest are dropped first, and every drop is
/// counted (`callspool_callback_events_dropped_total`).
public actor UnstoredStatusEvents {
    public struct Entry: Sendable {
        public var event: CallbackEvent
        public var body: String
        public var nonce: CallbackNonce?
        public var receivedAt: Date
    }

    public let maxCount: Int
    public let maxAge: TimeInterval
    let metrics: CallspoolMetrics
    private var entries: [Entry] = []
    public private(set) var dropped = 0

    public init(maxCount: Int = 10_000, maxAge: Duration = .seconds(3600), metrics: CallspoolMetrics = .disabled) {
        self.maxCount = maxCount
        self.maxAge = maxAge.timeInterval
        self.metrics = metrics
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty && !flushing }
    private var flushing = false

    /// Everything kept, oldest first, for one writer at a time: nil when
    /// empty or when another flush is under way. End with ``finishFlush(putBack:now:)``.
    public func startFlush(now: Date) -> [Entry]? {
        prune(now: now)
        guard !flushing, !entries.isEmpty else { return nil }
        flushing = true
        defer { entries.removeAll() }
        return entries
    }

    /// Ends a flush, putting back (before anything kept meanwhile) what could not be written.
    public func finishFlush(putBack rest: [Entry], now: Date) {
        entries = rest + entries
        flushing = false
        prune(now: now)
    }

    public func keep(_ entry: Entry) {
        entries.append(entry)
        prune(now: entry.receivedAt)
    }

    private func prune(now: Date) {
        var drop = entries.prefix { now.timeIntervalSince($0.receivedAt) > maxAge }.count
        if entries.count - drop > maxCount { drop = entries.count - maxCount }
        guard drop > 0 else { return }
        entries.removeFirst(drop)
        dropped += drop
        metrics.countDroppedCallbackEvents(drop)
    }
}
