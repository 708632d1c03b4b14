import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// The demo's live progress: on a terminal one line redrawn in place (a bar
/// and counts per state), otherwise plain lines a log can keep.
public struct DemoProgress: Sendable {
    public var isTTY: Bool
    public var barWidth: Int

    public init(isTTY: Bool, barWidth: Int = 24) {
        self.isTTY = isTTY
        self.barWidth = barWidth
    }

    /// Jobs that reached an end state (completed, failed, expired, canceled).
    public static func finished(_ counts: [JobState: Int]) -> Int {
        counts.filter { $0.key.isTerminal }.values.reduce(0, +)
    }

    /// One progress update; on a TTY it starts with a carriage return and
    /// erases the line, without a newline.
    public func render(counts: [JobState: Int], elapsed: TimeInterval, portsInUse: Int, portLimit: Int) -> String {
        let total = counts.values.reduce(0, +)
        let done = Self.finished(counts)
        let states = JobState.allCases.filter { counts[$0, default: 0] > 0 || !$0.isTerminal }
            .map { "\($0.rawValue) \(counts[$0, default: 0])" }.joined(separator: isTTY ? "  " : ", ")
        let time = String(format: "%.0fs", elapsed)
        guard isTTY else {
            return "[\(time)] \(done)/\(total) done, ports \(portsInUse)/\(portLimit): \(states)\n"
        }
        let fraction = total == 0 ? 0 : Double(done) / Double(total)
        let filled = min(barWidth, Int((fraction * Double(barWidth)).rounded(.down)))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        let percent = String(format: "%3.0f%%", fraction * 100)
        return "\r\u{1B}[2K\(bar) \(percent) \(done)/\(total)  ports \(portsInUse)/\(portLimit)  \(states)  \(time)"
    }
}
