import Foundation

/// The 1, 5 and 15 minute load averages from /proc/loadavg, for the report.
func loadAverageText() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}
