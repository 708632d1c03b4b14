import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
/// The outcome of `callspool check`: one ``CheckItem`` per aspect of the
/// configuration, in the order they were checked (`--json` encodes this).
public struct CheckReport: Codable, Sendable, Equatable {
    /// False when any item is a problem.
    public var ok: Bool
    public var checks: [CheckItem]

    public init(checks: [CheckItem]) {
        self.checks = checks
        ok = !checks.contains { $0.status == .problem }
    }

    /// 0 when nothing is wrong (warnings allowed), 1 otherwise.
    public var exitStatus: Int32 { ok ? 0 : 1 }

    /// One line per item: `ok       spool: ...`.
    public var text: String {
        let labels: [CheckItem.Status: String] = [.ok: "ok      ", .warning: "WARNING ", .problem: "PROBLEM "]
        var lines = checks.map { "\(labels[$0.status] ?? "") \($0.name): \($0.message)" }
        let problems = checks.filter { $0.status == .problem }.count
        let warnings = checks.filter { $0.status == .warning }.count
        lines.append(problems == 0
            ? "callspool check: ready to run (\(warnings) warning\(warnings == 1 ? "" : "s"))"
            : "callspool check: \(problems) problem\(problems == 1 ? "" : "s"), fix before starting the daemon")
        return lines.joined(separator: "\n")
    }

    /// The items named `name`.
    public func items(_ name: String) -> [CheckItem] { checks.filter { $0.name == name } }
}
