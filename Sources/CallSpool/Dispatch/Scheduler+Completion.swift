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
    @discardableResult
    public func complete(_ batch: [(DispatchTicket, CallAttemptResult)]) throws -> [CallEndSignal] {
        guard !batch.isEmpty else { return [] }
        let now = clock.now
        var ended: [CallEndSignal] = []
        // Nothing of the batch is kept in memory unless it was committed, so
        // a batch that could not be written (full disk) can be recorded again.
        let saved = memory
        do {
            try database.dispatchTransaction { tx in
                for (ticket, result) in batch {
                    do {
                        try tx.isolated { ended += try record(ticket, with: result, now: now, in: tx) }
                    } catch {
                        logger.error(
                            "could not record a request's result; the job stays dispatching and becomes unknown at the next start",
                            metadata: ["job": "\(ticket.jobId)", "error": "\(error)"])
                    }
                }
            }
        } catch {
            memory = saved
            throw error
        }
        for signal in ended { callEnded(signal) }
        return ended
    }

    func record(_ ticket: DispatchTicket, with result: CallAttemptResult, now: Date, in tx: any DispatchTransaction) throws -> [CallEndSignal] {
        inFlight = max(0, inFlight - 1)
        syncPortsInUse()
        let wasProbe = probeInFlight && halt != nil
        probeInFlight = false
        countRequest(result)
        try updateBreaker(ticket, result: result, now: now, in: tx)
        switch result {
        case .accepted(let acceptance):
            inCall.insert(ticket.jobRowId)  // the call now holds the port
            if ticket.type == .verify { verifyCallsStarted[ticket.jobRowId] = now }
            syncPortsInUse()
            limiter.accepted(idlePort: acceptance.idlePort, callsHeld: callsInProgress)
            slowStart.accepted(limit: limiter.effectiveLimit)
            portPushBacks = 0
            flowPushBacks = 0
            if !quotaPushBacks.isEmpty {
                quotaPushBacks[settings.scope(.flow)] = nil
                quotaPushBacks[.displayNumber(ticket.displayNbr)] = nil
            }
            if wasProbe || halt != nil { try liftHalt(in: tx) }
            return try tx.recordAcceptance(ticket, acceptance: acceptance, now: now)
        case .rejected(let rejection):
            try handle(rejection, ticket: ticket, now: now, wasProbe: wasProbe, in: tx)
        case .notSent(let reason):
            let delay = settings.retry.delay(attempt: ticket.attempt - 1, using: &random)
            logger.warning("request not sent; retrying", metadata: ["job": "\(ticket.jobId)", "reason": "\(reason)", "in": "\(DurationText.format(delay))"])
            try tx.recordFailure(ticket, httpStatus: 0, resultcode: nil, resultDesc: reason, resultClass: "transient", disposition: .requeue(at: now.addingTimeInterval(delay.timeInterval)), now: now)
            if wasProbe { try reschedule(probeAfter: settings.backoff.halt, now: now, in: tx) }
        case .uncertain(let reason):
            logger.error("request may have placed a call but no usable answer came; the job is unknown until callbacks arrive (it is not re-sent)", metadata: ["job": "\(ticket.jobId)", "reason": "\(reason)"])
            try tx.recordFailure(ticket, httpStatus: nil, resultcode: nil, resultDesc: reason, resultClass: "uncertain", disposition: .unknown(reason: reason), now: now)
        }
        return []
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
        if let started = verifyCallsStarted.removeValue(forKey: signal.jobRowId) {
            reserve.verifyCallHeld(clock.now.timeIntervalSince(started))
        }
        let held = inCall.remove(signal.jobRowId) != nil
        guard held || signal.app == settings.app || (signal.app == nil && settings.housekeeping) else { return }
        if held { syncPortsInUse() }
        if signal.stateCode == 7109 {
            limiter.pushedBack(callsInProgress: callsInProgress)
            logger.warning("platform ended a call for lack of ports (7109); port limit lowered", metadata: ["effectiveLimit": "\(limiter.effectiveLimit)"])
        }
        // A ports pause lasts until a port frees or it times out: one just did.
        if portsPauseSet {
            portsPauseSet = false
            try? database.clearPause(settings.scope(.ports))
        }
    }

    /// Decides with ``DispatchPolicy``, records the decision through the
    /// transaction, then applies it to the scheduler's own state.
    func handle(_ rejection: CallRejection, ticket: DispatchTicket, now: Date, wasProbe: Bool, in tx: any DispatchTransaction) throws {
        var remembered = DispatchPolicy.Memory(
            portPushBacks: portPushBacks, flowPushBacks: flowPushBacks, quotaPushBacks: quotaPushBacks, createdClockSwitched: createdClockSwitched)
        let decision = DispatchPolicy(settings: settings).decide(rejection, ticket: ticket, memory: &remembered, wasProbe: wasProbe, now: now, random: &random)
        portPushBacks = remembered.portPushBacks
        flowPushBacks = remembered.flowPushBacks
        quotaPushBacks = remembered.quotaPushBacks
        createdClockSwitched = remembered.createdClockSwitched
        let code = rejection.resultcode
        let description = rejection.explanation

        if decision.lowerPortLimit { limiter.pushedBack(callsInProgress: callsInProgress) }
        try tx.recordFailure(
            ticket, httpStatus: rejection.httpStatus, resultcode: code, resultDesc: description, resultClass: decision.resultClass,
            disposition: decision.fate, now: now)
        if let pause = decision.pause {
            try tx.setPause(pause.scope, reason: pause.reason, code: pause.code, until: pause.until, now: now)
            if pause.scope.base == .ports { portsPauseSet = true }
        }
        log(decision, rejection: rejection, ticket: ticket)
        if decision.switchCreatedClock {
            createdClock = createdClock.other
            logger.warning("platform refused the Created time (\(code ?? "-")); switching the X-AKSK clock convention", metadata: ["now": "\(createdClock.rawValue)"])
        }
        if decision.retireDisplayNumber {
            try retire(displayNumber: ticket.displayNbr, code: code ?? "http_\(rejection.httpStatus)", description: description, now: now, in: tx)
        }
        if let halt = decision.halt { try enterHalt(code: halt.code, reason: halt.reason, now: now, in: tx) }
        if decision.reprobe { try reschedule(probeAfter: settings.backoff.halt, now: now, in: tx) }
    }

    /// One log line per decision that changes more than the job.
    func log(_ decision: DispatchPolicy.Decision, rejection: CallRejection, ticket: DispatchTicket) {
        let code = rejection.resultcode ?? "-"
        switch rejection.resultClass {
        case .ports:
            logger.warning("platform out of ports; port limit lowered, dispatch paused until a call ends", metadata: [
                "code": "\(code)", "effectiveLimit": "\(limiter.effectiveLimit)",
                "until": "\(decision.pause.map { Timestamp.format($0.until) } ?? "-")",
            ])
        case .flowControl:
            logger.warning("platform flow control; dispatch paused", metadata: [
                "code": "\(code)", "until": "\(decision.pause.map { Timestamp.format($0.until) } ?? "-")",
            ])
        case .frequency(let scope):
            logger.warning("frequency limit", metadata: [
                "scope": "\(scope.rawValue)", "code": "\(code)", "until": "\(decision.pause.map { Timestamp.format($0.until) } ?? "-")",
            ])
        case .quota(let scope):
            logger.warning("call quota used up; that scope is paused", metadata: [
                "scope": "\(scope.rawValue)", "code": "\(code)", "until": "\(decision.pause.map { Timestamp.format($0.until) } ?? "-")",
                "displayNbr": "\(PhoneMask.mask(ticket.displayNbr))",
            ])
        case .number where !ticket.displayFromPool:
            logger.info("job failed: its own display number was refused", metadata: [
                "job": "\(LogRedaction.maskPhoneNumbers(in: ticket.jobId))", "displayNbr": "\(PhoneMask.mask(ticket.displayNbr))", "code": "\(code)",
            ])
        case .job:
            logger.info("job failed", metadata: ["job": "\(LogRedaction.maskPhoneNumbers(in: ticket.jobId))", "code": "\(code)", "reason": "\(rejection.explanation)"])
        default:
            break
        }
    }

    func enterHalt(code: String, reason: String, now: Date, in tx: any DispatchTransaction) throws {
        let wait = ResultCode.haltProbeOverride(resultcode: code) ?? settings.backoff.halt
        let since = halt?.since ?? now
        let record = HaltRecord(app: settings.app, code: code, reason: reason, since: since, probeAt: now.addingTimeInterval(wait.timeInterval))
        halt = record
        try tx.setHalt(record)
        logger.critical("dispatch halted: configuration or account problem; every job stays queued", metadata: [
            "app": "\(settings.app)", "code": "\(code)", "reason": "\(reason)", "probeAt": "\(Timestamp.format(record.probeAt))",
        ])
    }

    func reschedule(probeAfter wait: Duration, now: Date, in tx: any DispatchTransaction) throws {
        guard var record = halt else { return }
        record.probeAt = now.addingTimeInterval(wait.timeInterval)
        halt = record
        try tx.setHalt(record)
    }

    func liftHalt(in tx: any DispatchTransaction) throws {
        guard let record = halt else { return }
        halt = nil
        if settings.slowStart {
            slowStart.restart()
            slowStart.accepted(limit: limiter.effectiveLimit)  // the probe was the first accepted answer
        }
        try tx.clearHalt(app: settings.app)
        logger.notice("probe succeeded; dispatch resumes", metadata: ["app": "\(settings.app)", "code": "\(record.code)"])
    }
}
