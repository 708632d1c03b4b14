import Foundation
import Logging
import VoiceCallAPI

extension Scheduler {
    /// Records the platform's answer to a ticket and applies docs/result-codes.md's
    /// class rules. Returns the calls that ended while the answer was stored
    /// (events that arrived before the response).
    @discardableResult
    public func complete(_ ticket: DispatchTicket, with result: CallAttemptResult) throws -> [CallEndSignal] {
        try complete([(ticket, result)])
    }

    /// Records a batch of answers in one transaction (group commit: the
    /// dispatcher hands over every answer that arrived while the previous
    /// batch was being written). Each answer has its own savepoint, so one
    /// that cannot be stored (its job stays `dispatching` and becomes
    /// `unknown` at the next start) does not undo the others.
    ///
    /// The batch is planned on a copy of the scheduler's memory and applied
    /// after the commit: a batch that could not be written (full disk)
    /// changed nothing in memory, so it can be recorded again later and
    /// counts once.
    @discardableResult
    public func complete(_ batch: [(DispatchTicket, CallAttemptResult)]) throws -> [CallEndSignal] {
        guard !batch.isEmpty else { return [] }
        let now = clock.now
        let planner = DispatchPlanner(settings: settings, state: state)
        let plan = try database.dispatchTransaction { tx in
            var planner = planner
            let ended = try planner.record(batch, now: now, in: tx)
            return planner.plan(ended)
        }
        apply(plan)
        for signal in plan.value { callEnded(signal) }
        return plan.value
    }

    /// Counts the answer by result class and code (metrics).
    func countRequest(_ result: CallAttemptResult) {
        switch result {
        case .accepted: metrics.countRequest(resultClass: "ok", code: "0", app: settings.app)
        case .rejected(let rejection):
            metrics.countRequest(resultClass: "\(rejection.resultClass)", code: rejection.resultcode ?? "http_\(rejection.httpStatus)", app: settings.app)
        case .notSent: metrics.countRequest(resultClass: "not_sent", code: "none", app: settings.app)
        case .uncertain: metrics.countRequest(resultClass: "uncertain", code: "none", app: settings.app)
        }
    }

    /// A call ended (disconnect or CDR): its port is free again.
    /// Every scheduler hears every call end; only the one whose call it was
    /// acts on it (its port, its learned limit, its ports pause).
    public func callEnded(_ signal: CallEndSignal) {
        if let started = state.verifyCallsStarted.removeValue(forKey: signal.jobRowId) {
            state.reserve.verifyCallHeld(clock.now.timeIntervalSince(started))
        }
        let held = state.inCall.remove(signal.jobRowId) != nil
        guard held || signal.app == settings.app || (signal.app == nil && settings.housekeeping) else { return }
        if held {
            state.syncPortsInUse()
            state.limiter.callEnded(at: clock.now)  // idlePort may lag this end a moment
        }
        if signal.stateCode == 7109 {
            state.limiter.pushedBack(callsInProgress: state.callsInProgress)
            logger.warning("platform ended a call for lack of ports (7109); port limit lowered", metadata: ["effectiveLimit": "\(state.limiter.effectiveLimit)"])
        }
        // A ports pause lasts until a port frees or it times out: one just
        // did. Forgotten only once cleared in the store (write, then
        // remember), so a clear that fails is tried again at the next end.
        if state.portsPauseSet, (try? database.clearPause(settings.scope(.ports))) != nil {
            state.portsPauseSet = false
        }
    }
}
