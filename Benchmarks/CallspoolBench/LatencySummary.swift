import Foundation

/// Percentiles of a set of latencies (seconds), nearest-rank.
struct LatencySummary {
    var samples: [Double]
    /// Samples that never produced a request (counted, not in the percentiles).
    var missing: Int = 0

    init(samples: [Double], missing: Int = 0) {
        self.samples = samples.sorted()
        self.missing = missing
    }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(samples.count)).rounded(.up))
        return samples[Swift.min(samples.count - 1, Swift.max(0, rank - 1))]
    }

    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
    var max: Double { samples.last ?? .nan }

    /// "n=…, p50 … ms, p99 … ms, max … ms (target p50 ≤ …, p99 ≤ …: meets|BELOW)".
    func line(_ name: String, p50Target: Double?, p99Target: Double) -> String {
        let meets = p99 <= p99Target && (p50Target.map { p50 <= $0 } ?? true) && missing == 0
        let p50Text = p50Target.map { String(format: "p50 ≤ %.0f ms, ", $0 * 1000) } ?? ""
        return String(
            format: "%@: n=%d%@, p50 %.1f ms, p99 %.1f ms, max %.1f ms (target %@p99 ≤ %.0f ms: %@)",
            name, samples.count, missing > 0 ? " (+\(missing) never sent)" : "", p50 * 1000, p99 * 1000, max * 1000,
            p50Text, p99Target * 1000, meets ? "meets" : "BELOW")
    }
}
