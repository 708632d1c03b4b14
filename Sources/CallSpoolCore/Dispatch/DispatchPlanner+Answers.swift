import Foundation
import Logging
import VoiceCallAPI

extension DispatchPlanner {
    /// Records a batch of answers, each in its own savepoint, and returns the
    /// calls that ended while they were stored. An answer is planned on a
    /// copy of the planner's state that is kept only when its savepoint
    /// held; one that could not be stored is ``unrecorded(_:result:error:)``.
    mutating func record(_ batch: [(DispatchTicket, CallAttemptResult)], now: Date, in tx: any DispatchTransaction) throws -> [CallEndSignal] {
        try tx.willRecordAnswers(batch.map { ticket, result in
            if case .accepted(let acceptance) = result { (ticket, acceptance.sessionId) } else { (ticket, nil) }
        })
        var ended: [CallEndSignal] = []
        for (ticket, result) in batch {
            var trial = DispatchPlanner(settings: settings, state: state)
            var signals: [CallEndSignal] = []
            do {
                try tx.isolated { signals = try trial.record(ticket, with: result, now: now, in: tx) }
                state = trial.state
                notes += trial.notes
                ended += signals
            } catch {
                unrecorded(ticket, result: result, error: error)
            }
        }
        return ended
    }

    /// An answer whose savepoint was undone: nothing of it is stored (its job
    /// stays `dispatching` and becomes `unknown` at the next start), and none
    /// of its decisions holds. The request is over all the same: its place in
    /// flight and any probe mark are freed, so no port leaks and dispatch
    /// does not wait for a probe answer that was already given.
    mutating func unrecorded(_ ticket: DispatchTicket, result: CallAttemptResult, error: any Error) {
        state.inFlight = max(0, state.inFlight - 1)
        state.syncPortsInUse()
        state.probeInFlight = false
        if state.transportProbe == ticket.jobRowId { state.transportProbe = nil }
        notes.append(.request(result))
        log(.error, "could not record a request's result; the job stays dispatching and becomes unknown at the next start", [
            "job": "\(ticket.jobId)", "error": "\(error)",
        ])
    }

    /// One answer: records it through the transaction and plans what it
    /// changes in memory (ports, slow start, breaker, push-backs, halt).
    mutating func record(_ ticket: DispatchTicket, with result: CallAttemptResult, now: Date, in tx: any DispatchTransaction) throws -> [CallEndSignal] {
        state.inFlight = max(0, state.inFlight - 1)
        state.syncPortsInUse()
        let wasProbe = state.probeInFlight && state.halt != nil
        state.probeInFlight = false
        notes.append(.request(result))
        try updateBreaker(ticket, result: result, now: now, in: tx)
        switch result {
        case .accepted(let acceptance):
            state.inCall.insert(ticket.jobRowId)  // the call now holds the port
            if ticket.type == .verify { state.verifyCallsStarted[ticket.jobRowId] = now }
            state.syncPortsInUse()
            state.limiter.accepted(idlePort: acceptance.idlePort, callsHeld: state.callsInProgress, now: now)
            state.slowStart.accepted(limit: state.limiter.effectiveLimit)
            state.remembered.portPushBacks = 0
            state.remembered.flowPushBacks = 0
            if !state.remembered.quotaPushBacks.isEmpty {
                state.remembered.quotaPushBacks[settings.scope(.flow)] = nil
                state.remembered.quotaPushBacks[.displayNumber(ticket.displayNbr)] = nil
            }
            if wasProbe || state.halt != nil { try liftHalt(in: tx) }
            return try tx.recordAcceptance(ticket, acceptance: acceptance, now: now)
        case .rejected(let rejection):
            try handle(rejection, ticket: ticket, now: now, wasProbe: wasProbe, in: tx)
        case .notSent(let reason):
            let delay = settings.retry.delay(attempt: ticket.attempt - 1, using: &state.random)
            log(.warning, "request not sent; retrying", ["job": "\(ticket.jobId)", "reason": "\(reason)", "in": "\(DurationText.format(delay))"])
            try tx.recordFailure(ticket, httpStatus: 0, resultcode: nil, resultDesc: reason, resultClass: "transient", disposition: .requeue(at: now.addingTimeInterval(delay.timeInterval)), now: now)
            if wasProbe { try reschedule(probeAfter: settings.backoff.halt, now: now, in: tx) }
        case .uncertain(let reason):
            log(.error, "request may have placed a call but no usable answer came; the job is unknown until callbacks arrive (it is not re-sent)", ["job": "\(ticket.jobId)", "reason": "\(reason)"])
            try tx.recordFailure(ticket, httpStatus: nil, resultcode: nil, resultDesc: reason, resultClass: "uncertain", disposition: .unknown(reason: reason), now: now)
        }
        return []
    }

    /// Decides with ``DispatchPolicy``, records the decision through the
    /// transaction, and plans what it changes in memory.
    mutating func handle(_ rejection: CallRejection, ticket: DispatchTicket, now: Date, wasProbe: Bool, in tx: any DispatchTransaction) throws {
        let decision = DispatchPolicy(settings: settings).decide(
            rejection, ticket: ticket, memory: &state.remembered, wasProbe: wasProbe, now: now, random: &state.random)
        let code = rejection.resultcode
        let description = rejection.explanation

        if decision.lowerPortLimit { state.limiter.pushedBack(callsInProgress: state.callsInProgress) }
        try tx.recordFailure(
            ticket, httpStatus: rejection.httpStatus, resultcode: code, resultDesc: description, resultClass: decision.resultClass,
            disposition: decision.fate, now: now)
        if let pause = decision.pause {
            try tx.setPause(pause.scope, reason: pause.reason, code: pause.code, until: pause.until, now: now)
            if pause.scope.base == .ports { state.portsPauseSet = true }
        }
        log(decision, rejection: rejection, ticket: ticket)
        if decision.switchCreatedClock {
            state.createdClock = state.createdClock.other
            log(.warning, "platform refused the Created time (\(code ?? "-")); switching the X-AKSK clock convention", ["now": "\(state.createdClock.rawValue)"])
        }
        if decision.retireDisplayNumber {
            try retire(displayNumber: ticket.displayNbr, code: code ?? "http_\(rejection.httpStatus)", description: description, now: now, in: tx)
        }
        if let halt = decision.halt { try enterHalt(code: halt.code, reason: halt.reason, now: now, in: tx) }
        if decision.reprobe { try reschedule(probeAfter: settings.backoff.halt, now: now, in: tx) }
    }

    /// One log line per decision that changes more than the job.
    mutating func log(_ decision: DispatchPolicy.Decision, rejection: CallRejection, ticket: DispatchTicket) {
        let code = rejection.resultcode ?? "-"
        switch rejection.resultClass {
        case .ports:
            log(.warning, "platform out of ports; port limit lowered, dispatch paused until a call ends", [
                "code": "\(code)", "effectiveLimit": "\(state.limiter.effectiveLimit)",
                "until": "\(decision.pause.map { Timestamp.format($0.until) } ?? "-")",
            ])
        case .flowControl:
            log(.warning, "platform flow control; dispatch paused", [
                "code": "\(code)", "until": "\(decision.pause.map { Timestamp.format($0.until) } ?? "-")",
            ])
        case .frequency(let scope):
            log(.warning, "frequency limit", [
                "scope": "\(scope.rawValue)", "code": "\(code)", "until": "\(decision.pause.map { Timestamp.format($0.until) } ?? "-")",
            ])
        case .quota(let scope):
            log(.warning, "call quota used up; that scope is paused", [
                "scope": "\(scope.rawValue)", "code": "\(code)", "until": "\(decision.pause.map { Timestamp.format($0.until) } ?? "-")",
                "displayNbr": "\(PhoneMask.mask(ticket.displayNbr))",
            ])
        case .number where !ticket.displayFromPool:
            log(.info, "job failed: its own display number was refused", [
                "job": "\(LogRedaction.maskPhoneNumbers(in: ticket.jobId))", "displayNbr": "\(PhoneMask.mask(ticket.displayNbr))", "code": "\(code)",
            ])
        case .job:
            log(.info, "job failed", ["job": "\(LogRedaction.maskPhoneNumbers(in: ticket.jobId))", "code": "\(code)", "reason": "\(rejection.explanation)"])
        default:
            break
        }
    }

    mutating func enterHalt(code: String, reason: String, now: Date, in tx: any DispatchTransaction) throws {
        let wait = ResultCode.haltProbeOverride(resultcode: code) ?? settings.backoff.halt
        let since = state.halt?.since ?? now
        let record = HaltRecord(app: settings.app, code: code, reason: reason, since: since, probeAt: now.addingTimeInterval(wait.timeInterval))
        state.halt = record
        try tx.setHalt(record)
        log(.critical, "dispatch halted: configuration or account problem; every job stays queued", [
            "app": "\(settings.app)", "code": "\(code)", "reason": "\(reason)", "probeAt": "\(Timestamp.format(record.probeAt))",
        ])
    }

    mutating func reschedule(probeAfter wait: Duration, now: Date, in tx: any DispatchTransaction) throws {
        guard var record = state.halt else { return }
        record.probeAt = now.addingTimeInterval(wait.timeInterval)
        state.halt = record
        try tx.setHalt(record)
    }

    mutating func liftHalt(in tx: any DispatchTransaction) throws {
        guard let record = state.halt else { return }
        state.halt = nil
        if settings.slowStart {
            state.slowStart.restart()
            state.slowStart.accepted(limit: state.limiter.effectiveLimit)  // the probe was the first accepted answer
        }
        try tx.clearHalt(app: settings.app)
        log(.notice, "probe succeeded; dispatch resumes", ["app": "\(settings.app)", "code": "\(record.code)"])
    }
}
