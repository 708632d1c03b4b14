/// Checks job files without queueing anything (`callspool validate`, and
/// `callspool submit` before it drops a file).
public enum JobFileLinter {
    /// The report for one file; duplicate ids within the file are counted.
    /// With `callGuard`, callees outside its `callee_prefixes` are rejected
    /// as intake would (the suppression list needs the store: intake checks it).
    public static func lint(path: String, maxBytes: Int64 = 256 << 20, callGuard: Configuration.Guard? = nil) -> FileReport {
        let name = (path as NSString).lastPathComponent
        var report = FileReport(file: name)
        do {
            let file = try JobFile.open(path, maxBytes: maxBytes)
            report.campaign = file.campaign
            report.warn(about: file)
            var reader = try file.reader()
            // Byte for byte, as the store compares ids (ExactText).
            var seen = Set<ExactText>()
            while let entry = try reader.next() {
                report.warn(about: entry)
                switch entry.result {
                case .success(let job):
                    if let refusal = callGuard?.prefixRefusal(job.calleeNbr) {
                        report.reject(.init(position: entry.position, id: job.id, issues: [ValidationIssue(field: "calleeNbr", rule: refusal).description], reason: .calleePrefix))
                        continue
                    }
                    if seen.insert(ExactText(job.id)).inserted { report.accepted += 1 } else { report.duplicates += 1 }
                case .failure(let issues):
                    report.reject(.init(position: entry.position, id: issues.id, issues: issues.issues.map(\.description)))
                }
            }
        } catch {
            report.error = error.reason
        }
        return report
    }

    /// One line per problem: `FILE: POSITION (id ID): FIELD: RULE`.
    public static func describe(_ report: FileReport) -> [String] {
        if let error = report.error { return ["\(report.file): \(error)"] }
        var lines: [String] = []
        for rejection in report.rejected {
            let id = rejection.id.map { " (id \($0))" } ?? ""
            for issue in rejection.details.isEmpty ? [rejection.error] : rejection.details {
                lines.append("\(report.file): \(rejection.position)\(id): \(issue)")
            }
        }
        if let more = report.rejectedNotListed { lines.append("\(report.file): … and \(more) more rejected jobs") }
        if let summary = rejectionSummary(report) { lines.append("\(report.file): \(summary)") }
        return lines
    }

    /// `12 jobs rejected: 9 callee_prefix, 3 invalid` (largest first), or nil when none was.
    public static func rejectionSummary(_ report: FileReport) -> String? {
        guard report.rejectedCount > 0 else { return nil }
        let parts = report.rejectedByReason.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.value) \($0.key)" }
        return "\(report.rejectedCount) job\(report.rejectedCount == 1 ? "" : "s") rejected: " + parts.joined(separator: ", ")
            + "; \(report.accepted) would be queued"
    }

    /// One line per warning: `FILE: POSITION (id ID): warning: FIELD: WHAT TO DO`
    /// (POSITION is `defaults` for a campaign's defaults).
    public static func describeWarnings(_ report: FileReport) -> [String] {
        var lines = report.warnings.map { warning in
            let id = warning.id.map { " (id \($0))" } ?? ""
            return "\(report.file): \(warning.place)\(id): warning: \(warning.warning)"
        }
        if let more = report.warningsNotListed { lines.append("\(report.file): … and \(more) more warnings") }
        return lines
    }
}

import Foundation
import VoiceCallAPI
