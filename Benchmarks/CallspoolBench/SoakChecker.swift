import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import VoiceCallSimulator

/// Reads what a soak run left — the store (every job and attempt row, read
/// in bulk: ``SoakStoreRows``), the simulator's log, the spool — and checks the promises independently of the daemon's own bookkeeping:
/// every job present and ended, nobody called twice, `unknown` only where
/// the faults explain it, answered calls with their digits, no
/// verification code of an ended job left in the store or the spool; every
/// request that reached the platform has its attempt row; on PostgreSQL, no
/// request sent by an instance after it lost the lease (``LeaseEvidence``).
struct SoakChecker {
    let jobs: [SoakRun.Submitted]
    let rows: SoakStoreRows
    let snapshot: SimulatorSnapshot
    /// callnotify / callVerify requests as they reached the simulator.
    let requests: [ArrivalLog.Request]
    let spools: [SpoolLayout]
    let faults: SoakFaults
    let ports: Int
    let lease: LeaseEvidence?

    /// What shows who dispatched when, on PostgreSQL.
    ///
    /// The invariant "no request sent by an instance after it lost the
    /// lease", in a form the logs can check: every request that reached the
    /// platform carries the `userData` of an attempt row, and that row the
    /// epoch its dispatcher held when it wrote it (the fenced write). The
    /// request must reach the platform **before the next term began** —
    /// before any later epoch's `acquiredAt` on the database's clock, which
    /// is this host's clock, as are the arrival times. A later term begins
    /// only once the earlier one expired on the database, so a request
    /// arriving after it was sent by an instance whose lease had already run
    /// out: exactly the request the lease forbids (a frozen dispatcher that
    /// wakes up and sends what it had prepared). The terms come from polling
    /// the lease row (``LeaseWatcher``); a term the poll missed makes the
    /// check weaker (the next seen term begins later), never wrong.
    struct LeaseEvidence {
        var terms: [LeaseWatcher.Term]
        /// `userData` → the epoch stamped on its attempt row (nil: none).
        var epochs: [String: Int64?]
        var lease: Double
    }

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
        var attempted = Set<String>()
        for job in jobs {
            guard let row = rows.jobs[job.id] else {
                report.violations.append("\(job.id): submitted but not in the store")
                continue
            }
            guard let state = JobState(rawValue: row.state) else {
                report.violations.append("\(job.id): an unknown state \(row.state)")
                continue
            }
            let attempts = rows.attempts[row.rowId] ?? []
            attempted.formUnion(attempts.map(\.userData))
            report.states[state.rawValue, default: 0] += 1
            if !settledStates.contains(state) { report.violations.append("\(job.id): left \(state.rawValue)") }
            let calls = snapshot.callsPerCallee[job.callee] ?? 0
            if calls > 1 { report.violations.append("\(job.id): its callee was called \(calls) times") }
            if state == .unknown, job.profile != "lostAnswer" { unexplainedUnknown += 1 }
            // Notify jobs collect a digit; a verify job plays its code.
            if state == .completed, row.outcome == Outcome.answered.rawValue, job.verifyCode == nil {
                answered += 1
                if !SoakStoreRows.hasDigits(row.digits) {
                    let session = attempts.compactMap(\.sessionId).last ?? ""
                    if !failedDigits.contains(session) { report.violations.append("\(job.id): answered, its digit push delivered, no digits") }
                } else {
                    withDigits += 1
                }
            }
            if let code = job.verifyCode, state.isTerminal {
                codes.append(code)
                if Self.digitRuns(in: Data(row.payload.utf8), length: code.utf8.count).contains(Array(code.utf8)) { report.violations.append("\(job.id): ended \(state.rawValue), its code is still in the store") }
            }
        }
        // Each SIGKILL (and, with a lease, each freeze past it or database
        // restart) can leave every port's request or call without its answer.
        let explaining = faults.kills + faults.freezes + faults.databaseRestarts + faults.fullDisks
        for exit in faults.exits { report.violations.append("an instance ended by itself: \(exit)") }
        if unexplainedUnknown > explaining * ports {
            report.violations.append("\(unexplainedUnknown) unknown jobs, more than \(explaining) kills, freezes, database restarts and full disks × \(ports) ports explain")
        }
        let orphans = requests.filter { request in request.userData.map { !attempted.contains($0) } ?? true }
        for request in orphans.prefix(10) {
            report.violations.append("a request for \(request.callee ?? "?") reached the platform with no attempt row (userData \(request.userData ?? "none"))")
        }
        if let lease {
            let figures = checkLease(lease, into: &report)
            report.figures += figures
        }
        if refused > 0 { report.violations.append("\(refused) pushes found the callback port closed") }
        // Every run of exactly 8 digits in each file (a code standing alone,
        // as a value), looked up among the codes (all of 8 digits): one pass
        // per file instead of a search per file and code. Longer runs are
        // not codes: a callee number's digits hold 8-digit substrings, and
        // a code drawn at random sometimes equals one (seed 32: v8917's
        // 70000632 inside +86137000063xx, reported as a code left behind).
        let endedCodes = Set(codes.map { Array($0.utf8) })
        for directory in spools.flatMap({ [$0.processed, $0.rejected, $0.incoming, $0.tmp] }) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
                for _ in Self.digitRuns(in: data, length: 8).filter({ endedCodes.contains($0) }) {
                    report.violations.append("a verification code of an ended job is left in \(directory)/\(name)")
                }
            }
        }
        report.figures = report.figures + [
            "answered \(answered), with their digit \(withDigits), digit pushes that failed (cut off by a kill, a freeze, a full disk or a database restart) \(failedDigits.count)",
            "unknown not explained by a lost answer \(unexplainedUnknown) (bound \(explaining) kills, freezes, database restarts, full disks × \(ports) ports)",
            "requests at the platform \(requests.count), without an attempt row \(orphans.count)",
            "pushes refused \(refused); deliveries \(snapshot.deliveries.count), failed \(snapshot.deliveries.filter { !$0.succeeded }.count)",
        ]
        return report
    }

    /// Every run of exactly `length` ASCII digits in `data` (bounded by
    /// non-digits or the ends), once each.
    static func digitRuns(in data: Data, length: Int) -> Set<[UInt8]> {
        let bytes = [UInt8](data)
        var runs = Set<[UInt8]>()
        var runStart = 0
        for index in 0...bytes.count {
            let isDigit = index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39
            if isDigit { continue }
            // A run of digits ends at `index`.
            if index - runStart == length { runs.insert(Array(bytes[runStart..<index])) }
            runStart = index + 1
        }
        return runs
    }

    /// Each request reached the platform before the term after its attempt's
    /// epoch began (see ``LeaseEvidence``).
    private func checkLease(_ evidence: LeaseEvidence, into report: inout Report) -> [String] {
        let terms = evidence.terms.sorted { $0.epoch < $1.epoch }
        var late = 0
        var unstamped = 0
        var closest = Double.infinity
        var byEpoch: [Int64: Int] = [:]
        for request in requests {
            guard let userData = request.userData, let stamped = evidence.epochs[userData] else { continue }
            guard let epoch = stamped else {
                unstamped += 1
                report.violations.append("the attempt \(userData) carries no lease epoch")
                continue
            }
            byEpoch[epoch, default: 0] += 1
            guard let next = terms.first(where: { $0.epoch > epoch }) else { continue }
            let margin = next.acquiredAt.timeIntervalSince(request.arrived)
            closest = min(closest, margin)
            if margin <= 0 {
                late += 1
                let holder = terms.first { $0.epoch == epoch }?.holder ?? "?"
                report.violations.append(String(
                    format: "a request of epoch %lld (held by %@) reached the platform %.3f s after epoch %lld (%@) began: sent after its lease ran out",
                    epoch, holder, -margin, next.epoch, next.holder))
            }
        }
        let highest = terms.last?.epoch ?? 0
        let seen = Set(terms.map(\.epoch))
        let missed = highest > 0 ? (1...highest).filter { !seen.contains($0) }.count : 0
        let dispatchers = terms.map { "\($0.epoch):\($0.holder)" }.joined(separator: " ")
        return [
            "dispatcher terms \(terms.count) (epochs 1–\(highest), \(missed) not seen by the poll): \(dispatchers)",
            "requests per epoch \(byEpoch.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " "))",
            "requests after their lease ran out \(late); closest to the next term " + (closest.isFinite ? String(format: "%.2f s before it", closest) : "none")
                + "; attempts without an epoch \(unstamped)",
            "frozen past the lease: \(faults.frozen.joined(separator: ", "))",
        ]
    }
}
