import Foundation
import VoiceCallAPI

extension FileReport {
    /// Counts one entry read from a job file: its warnings, and either the
    /// job to queue (with its application resolved) or the rejection naming
    /// its position, id and fields. Nil when the job stays out.
    mutating func take(_ entry: JobFile.Entry, policy: IntakePolicy, now: Date) -> JobSpec? {
        warn(about: entry)
        switch entry.result {
        case .success(var spec):
            switch policy.application(for: spec) {
            case .success(let app):
                if let never = policy.neverCallable(spec, now: now) {
                    reject(.init(position: entry.position, id: spec.id, issues: [ValidationIssue(field: "window", rule: never).description], reason: .window))
                    return nil
                }
                if let refusal = policy.callGuard.prefixRefusal(spec.calleeNbr) {
                    reject(.init(position: entry.position, id: spec.id, issues: [ValidationIssue(field: "calleeNbr", rule: refusal).description], reason: .calleePrefix))
                    return nil
                }
                spec.app = app
                spec.position = entry.position
                return spec
            case .failure(let reason):
                reject(.init(position: entry.position, id: spec.id, issues: [ValidationIssue(field: "app", rule: reason.description).description], reason: .app))
                return nil
            }
        case .failure(let issues):
            reject(.init(position: entry.position, id: issues.id, issues: issues.issues.map(\.description)))
            return nil
        }
    }
}
