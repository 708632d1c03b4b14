import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// The table `callspool demo` ends with: how the jobs ended, which digits
/// were collected, how often calls were retried and what the platform pushed
/// back with (throttling), plus the last errors.
public struct DemoReport: Sendable {
    public var figures: RunFigures
    public var errors: [RecentError]
    public var elapsed: TimeInterval
    /// The run stopped at its time limit with jobs still unfinished.
    public var timedOut: Bool
    public var effectivePortLimit: Int
    public var configuredPortLimit: Int

    public init(
        figures: RunFigures, errors: [RecentError], elapsed: TimeInterval, timedOut: Bool, effectivePortLimit: Int, configuredPortLimit: Int
    ) {
        self.figures = figures
        self.errors = errors
        self.elapsed = elapsed
        self.timedOut = timedOut
        self.effectivePortLimit = effectivePortLimit
        self.configuredPortLimit = configuredPortLimit
    }

    public var text: String {
        let total = figures.states.values.reduce(0, +)
        var out: [String] = []
        let verdict = timedOut ? "stopped at the time limit" : "finished"
        out.append("Demo \(verdict) after \(String(format: "%.1f", elapsed)) s: \(total) jobs, \(figures.requests) requests, \(figures.calls) calls placed.")
        out.append("")
        var states = TextTable(["STATE", "JOBS"])
        for state in JobState.allCases where figures.states[state.rawValue, default: 0] > 0 {
            states.add([state.rawValue, "\(figures.states[state.rawValue, default: 0])"])
        }
        out.append(states.render())
        out.append("")
        var outcomes = TextTable(["OUTCOME", "JOBS", "SHARE"])
        let completed = max(1, figures.outcomes.values.reduce(0, +))
        for (outcome, count) in figures.outcomes.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            outcomes.add([outcome, "\(count)", String(format: "%.0f%%", Double(count) * 100 / Double(completed))])
        }
        out.append(outcomes.rows.isEmpty ? "OUTCOME  (no call completed)" : outcomes.render())
        out.append("")
        var digits = TextTable(["DIGITS", "JOBS"])
        for (value, count) in figures.digits.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(10) {
            digits.add([value.isEmpty ? "(none pressed)" : value, "\(count)"])
        }
        out.append(digits.rows.isEmpty ? "DIGITS  (none collected)" : digits.render())
        out.append("")
        out.append("retries     \(figures.jobsRetried) jobs sent more than once, \(figures.jobsRedialled) redialled after no answer or busy")
        if figures.pushBacks.isEmpty {
            out.append("throttling  none: the platform accepted every request")
        } else {
            let seen = figures.pushBacks.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            out.append("throttling  \(seen)")
        }
        out.append("ports       effective limit \(effectivePortLimit) of \(configuredPortLimit) configured (learned from the platform's idlePort and push-backs)")
        if !errors.isEmpty {
            out.append("")
            var table = TextTable(["JOB", "STATE", "CODE", "ERROR"], shrinkable: [0, 3])
            for error in errors { table.add([error.id, error.state, error.code ?? "-", error.description ?? "-"]) }
            out.append("last errors")
            out.append(table.render())
        }
        return out.joined(separator: "\n")
    }
}
