import Foundation
import VoiceCallAPI

/// The reads and writes of one scheduling pass, or of one batch of the
/// platform's answers, inside one transaction of the store.
///
/// The scheduler sees the store only through this (and ``AppDatabase``'s
/// intent-named methods): a pass of 64 requests stays one commit, and a
/// second backend implements the same operations over its own transaction.
/// Nothing here decides anything: the scheduler plans, these record.
public protocol DispatchTransaction {
    /// `in_call` jobs of `app` whose call still holds a port.
    func callsHoldingPorts(app: String) throws -> Set<Int64>
    func activePauses(now: Date) throws -> [PauseScope: PauseRecord]
    func pausedCampaigns() throws -> Set<String>
    /// Queued jobs of `app` due at `now`, verify first, then priority, then age.
    func runnableJobs(app: String, now: Date, limit: Int, verifyOnly: Bool) throws -> [JobRecord]
    /// Pushes a queued job's next try to `until` (past its expiry: `expired`).
    func postpone(_ job: inout JobRecord, until: Date, reason: String, now: Date) throws
    /// Notify calls placed to `callee` since `since`, and the oldest of them:
    /// what `limits.per_callee_max` counts. Verify calls are not counted (a
    /// login code is never held back by reminders, nor by earlier codes).
    func notifyCallsToCallee(_ callee: String, since: Date) throws -> (count: Int, oldest: Date?)
    /// The suppression entries of these numbers, in any scope (read once
    /// per page of runnable jobs, not once per job).
    func suppressions(of numbers: [String]) throws -> [SuppressionRecord]
    /// Verification calls placed to `callee` / to numbers starting with
    /// `prefix` after `since`, and all calls of application `app` after
    /// `since`: what `[guard]` limits.
    func verifyCalls(toCallee callee: String, since: Date) throws -> Int
    func verifyCalls(toPrefix prefix: String, since: Date) throws -> Int
    func calls(ofApplication app: String, since: Date) throws -> Int
    /// Ends a queued job the guard refuses, without a call: `canceled` (a
    /// suppressed callee) or `failed` (a verify job over a limit).
    func refuse(_ job: inout JobRecord, ending: JobState, errorCode: String, errorDesc: String, now: Date) throws
    /// Moves `job` to `dispatching` with its attempt row; nil when it cannot go.
    func beginAttempt(_ job: inout JobRecord, displayNbr: String, fromPool: Bool, now: Date) throws -> DispatchTicket?
    func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws
    func clearPause(_ scope: PauseScope) throws
    func setHalt(_ record: HaltRecord) throws
    func clearHalt(app: String) throws
    /// Announces the answers about to be recorded, with each accepted
    /// call's sessionId, so a store can read their jobs in one go (a
    /// store that reads per answer does nothing here).
    func willRecordAnswers(_ answers: [(ticket: DispatchTicket, sessionId: String?)]) throws
    /// Stores an accepted call's sessionId (→ `in_call`) and applies the
    /// callbacks that came before the answer; returns the calls that ended.
    func recordAcceptance(_ ticket: DispatchTicket, acceptance: CallAcceptance, now: Date) throws -> [CallEndSignal]
    func recordFailure(
        _ ticket: DispatchTicket, httpStatus: Int?, resultcode: String?, resultDesc: String?, resultClass: String,
        disposition: Disposition, now: Date) throws
    /// Runs `body` so that what it wrote is undone alone if it throws.
    func isolated(_ body: () throws -> Void) throws
}

extension DispatchTransaction {
    public func willRecordAnswers(_ answers: [(ticket: DispatchTicket, sessionId: String?)]) throws {}
}
