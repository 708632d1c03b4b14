import Foundation

/// Counts events per key in a sliding time window (calls per display number
/// per minute). Memory stays bounded: old entries are dropped as time passes.
public struct SlidingWindowCounter: Sendable, Equatable {
    public var window: TimeInterval
    public var limit: Int
    private var events: [String: [Date]] = [:]

    public init(window: TimeInterval, limit: Int) {
        self.window = window
        self.limit = limit
    }

    private mutating func trim(_ key: String, now: Date) {
        guard var list = events[key] else { return }
        let cutoff = now.addingTimeInterval(-window)
        list.removeAll { $0 <= cutoff }
        events[key] = list.isEmpty ? nil : list
    }

    public mutating func count(_ key: String, now: Date) -> Int {
        trim(key, now: now)
        return events[key]?.count ?? 0
    }

    public mutating func allows(_ key: String, now: Date) -> Bool { count(key, now: now) < limit }

    public mutating func record(_ key: String, at now: Date) {
        trim(key, now: now)
        events[key, default: []].append(now)
    }

    /// When the key will next be under its limit.
    public mutating func nextAllowed(_ key: String, now: Date) -> Date {
        trim(key, now: now)
        guard let list = events[key], list.count >= limit else { return now }
        return list[list.count - limit].addingTimeInterval(window)
    }
}
