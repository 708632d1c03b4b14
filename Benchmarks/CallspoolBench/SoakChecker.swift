import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import VoiceCallSimulator

/// Reads what a soak run left — the store, the simulator's log, the spool —
/// and checks the promises independently of the daemon's own bookkeeping:
/// every job present and ended, nobody called twice, `unknown` only where
/// the faults explain it, answered calls with their digits, no
/// verification code of an ended job left in the store or the spool.
struct SoakChecker {
    let jobs: [SoakRun.Submitted]
    let store: AppDatabase
    let snapshot: SimulatorSnapshot
    let spool: SpoolLayout
    let faults: SoakFaults
    let ports: Int

    struct Report {
        var violations: [String] = []
        var figures: [String] = []
        var states: [String: Int] = [:]
    }

    func check() throws -> Report {
        var report = Report()
        let settledStates: Set<JobState> = [.completed, .failed, .expired, .canceled, .unknown]
        // Digit pushes that failed: cut off by a kill mid-request (never answered 200).
        let failedDigits = Set(snapshot.deliveries.filter { $0.eventType == "collectInfo" && !$0.succeeded }.flatMap(\.sessionIds))
        let refused = snapshot.deliveries.filter { !$0.succeeded && ($0.error ?? "").localizedCaseInsensitiveContains("refused") }.count
        var unexplainedUnknown = 0
        var answered = 0
        var withDigits = 0
        var codes: [String] = []
        for job in jobs {
            guard let detail = try store.jobDetail(id: job.id) else {
                report.violations.append("\(job.id): submitted but not in the store")
                continue
            }
            let state = detail.job.state
            report.states[state.rawValue, default: 0] += 1
            if !settledStates.contains(state) { report.violations.append("\(job.id): left \(state.rawValue)") }
            let calls = snapshot.callsPerCallee[job.callee] ?? 0
            if calls > 1 { report.violations.append("\(job.id): its callee was called \(calls) times") }
            if state == .unknown, job.profile != "lostAnswer" { unexplainedUnknown += 1 }
            // Notify jobs collect a digit; a verify job plays its code.
            if state == .completed, detail.job.outcome == .answered, job.verifyCode == nil {
                answered += 1
                if detail.job.digits.isEmpty {
                    let session = detail.attempts.compactMap(\.sessionId).last ?? ""
                    if !failedDigits.contains(session) { report.violations.append("\(job.id): answered, its digit push delivered, no digits") }
                } else {
                    withDigits += 1
                }
            }
            if let code = job.verifyCode, state.isTerminal {
                codes.append(code)
                if detail.job.payload.storedText.contains(code) { report.violations.append("\(job.id): ended \(state.rawValue), its code is still in the store") }
            }
        }
        // Each SIGKILL can leave every port's request or call without its answer.
        if unexplainedUnknown > faults.kills * ports {
            report.violations.append("\(unexplainedUnknown) unknown jobs, more than \(faults.kills) kills × \(ports) ports explain")
        }
        if refused > 0 { report.violations.append("\(refused) pushes found the callback port closed") }
        for directory in [spool.processed, spool.rejected, spool.incoming, spool.tmp] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { continue }
                for code in codes where text.contains(code) {
                    report.violations.append("a verification code of an ended job is left in \(directory)/\(name)")
                }
            }
        }
        report.figures = [
            "answered \(answered), with their digit \(withDigits), digit pushes cut off by a kill \(failedDigits.count)",
            "unknown not explained by a lost answer \(unexplainedUnknown) (bound \(faults.kills) kills × \(ports) ports)",
            "pushes refused \(refused); deliveries \(snapshot.deliveries.count), failed \(snapshot.deliveries.filter { !$0.succeeded }.count)",
        ]
        return report
    }
}
