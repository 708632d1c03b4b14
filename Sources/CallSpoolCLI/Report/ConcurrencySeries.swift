import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// Calls in progress over time, as a step function, from each accepted
/// call's start and end: what the report draws against the port limit.
public struct ConcurrencySeries: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var at: Date
        /// Calls in progress from `at` until the next point.
        public var calls: Int
    }

    public var points: [Point]
    public var peak: Int { points.map(\.calls).max() ?? 0 }

    /// `intervals`: (start, end); an open end means still in call at `now`.
    /// At most `maxPoints` points: beyond that, each bucket of time keeps its
    /// highest value, so peaks are never hidden.
    public init(intervals: [(start: Date, end: Date?)], now: Date, maxPoints: Int = 600) {
        var changes: [(Date, Int)] = []
        for interval in intervals {
            let end = max(interval.end ?? now, interval.start)
            changes.append((interval.start, 1))
            changes.append((end, -1))
        }
        // Ends before starts at the same instant: a port freed and reused is not two calls.
        changes.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var points: [Point] = []
        var current = 0
        for (at, delta) in changes {
            current += delta
            if let last = points.last, last.at == at {
                points[points.count - 1].calls = current
            } else {
                points.append(Point(at: at, calls: current))
            }
        }
        self.points = Self.downsample(points, to: maxPoints)
    }

    static func downsample(_ points: [Point], to maxPoints: Int) -> [Point] {
        guard points.count > maxPoints, let first = points.first?.at, let last = points.last?.at, last > first else { return points }
        let span = last.timeIntervalSince(first)
        var buckets: [Int: Point] = [:]
        for point in points {
            let index = min(maxPoints - 1, Int(point.at.timeIntervalSince(first) / span * Double(maxPoints)))
            let start = first.addingTimeInterval(span * Double(index) / Double(maxPoints))
            if let existing = buckets[index], existing.calls >= point.calls { continue }
            buckets[index] = Point(at: start, calls: point.calls)
        }
        var result = buckets.sorted { $0.key < $1.key }.map(\.value)
        if let final = points.last { result.append(final) }
        return result
    }
}
