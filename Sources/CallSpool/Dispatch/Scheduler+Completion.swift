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

    func handle(_ rejection: CallRejection, ticket: DispatchTicket, now: Date, wasProbe: Bool, in tx: any DispatchTransaction) throws {
        let code = rejection.resultcode
        let description = rejection.explanation
        func requeue(_ at: Date) throws {
            try tx.recordFailure(ticket, httpStatus: rejection.httpStatus, resultcode: code, resultDesc: description, resultClass: "\(rejection.resultClass)", disposition: .requeue(at: at), now: now)
        }
        if let idle = rejection.idlePort, idle == 0 { limiter.pushedBack(callsInProgress: callsInProgress) }
        switch rejection.resultClass {
        case .ok:
            try tx.recordFailure(ticket, httpStatus: rejection.httpStatus, resultcode: code, resultDesc: description, resultClass: "uncertain", disposition: .unknown(reason: "success code under HTTP \(rejection.httpStatus)"), now: now)
        case .ports:
            limiter.pushedBack(callsInProgress: callsInProgress)
            let pause = Backoff.pause(floor: settings.backoff.ports, repeats: portPushBacks, cap: .seconds(3600), using: &random)
            portPushBacks += 1
            try tx.setPause(settings.scope(.ports), reason: "platform out of ports (until a call ends)", code: code, until: now.addingTimeInterval(pause.timeInterval), now: now)
            portsPauseSet = true
            logger.warning("platform out of ports; port limit lowered, dispatch paused until a call ends", metadata: ["code": "\(code ?? "-")", "effectiveLimit": "\(limiter.effectiveLimit)", "max": "\(DurationText.format(pause))"])
            try requeue(now)
        case .flowControl:
            let pause = Backoff.pause(floor: settings.backoff.flow, repeats: flowPushBacks, cap: .seconds(3600), using: &random)
            flowPushBacks += 1
            try tx.setPause(settings.scope(.flow), reason: "platform flow control: \(description)", code: code, until: now.addingTimeInterval(pause.timeInterval), now: now)
            logger.warning("platform flow control; all dispatch paused", metadata: ["code": "\(code ?? "-")", "for": "\(DurationText.format(pause))"])
            try requeue(now.addingTimeInterval(pause.timeInterval))
        case .frequency(let scope):
            let until: Date
            switch scope {
            case .sp, .app:
                until = now.addingTimeInterval(settings.backoff.flow.timeInterval)
                try tx.setPause(settings.scope(.flow), reason: "\(scope.rawValue) call frequency limit: \(description)", code: code, until: until, now: now)
                try requeue(until)
            case .displayNumber:
                until = now.addingTimeInterval(settings.backoff.flow.timeInterval)
                try tx.setPause(.displayNumber(ticket.displayNbr), reason: "display number frequency limit: \(description)", code: code, until: until, now: now)
                // A pool number is swapped for another at once; a job's own number waits.
                try requeue(ticket.displayFromPool ? now : until)
            case .callee:
                until = now.addingTimeInterval(settings.backoff.callee.timeInterval)
                try tx.setPause(.callee(ticket.calleeNbr), reason: "callee frequency limit: \(description)", code: code, until: until, now: now)
                try requeue(until)
            }
            logger.warning("frequency limit", metadata: ["scope": "\(scope.rawValue)", "code": "\(code ?? "-")", "until": "\(Timestamp.format(until))"])
        case .quota(let scope):
            let until = try pauseForQuota(scope, code: code ?? "-", description: description, ticket: ticket, now: now, in: tx)
            // A pool number is swapped for another at once; anything else waits out the pause.
            try requeue(scope == .displayNumber && ticket.displayFromPool ? now : until)
        case .number:
            guard ticket.displayFromPool else {
                // The job named this number itself: only the job can be wrong.
                try tx.recordFailure(ticket, httpStatus: rejection.httpStatus, resultcode: code, resultDesc: description, resultClass: "job", disposition: .fail(code: code ?? "-", description: description), now: now)
                logger.info("job failed: its own display number was refused", metadata: ["job": "\(LogRedaction.maskPhoneNumbers(in: ticket.jobId))", "displayNbr": "\(PhoneMask.mask(ticket.displayNbr))", "code": "\(code ?? "-")"])
                return
            }
            try requeue(now)
            try retire(displayNumber: ticket.displayNbr, code: code ?? "http_\(rejection.httpStatus)", description: description, now: now, in: tx)
        case .timeWindow:
            let window = settings.defaults.window
            let opening = window.nextOpening(after: now.addingTimeInterval(60))
            try requeue(max(opening, now.addingTimeInterval(1800)))
        case .transient:
            let delay = settings.retry.delay(attempt: ticket.attempt - 1, using: &random)
            try requeue(now.addingTimeInterval(delay.timeInterval))
            if wasProbe { try reschedule(probeAfter: settings.backoff.halt, now: now, in: tx) }
        case .unknown:
            if ticket.attempt >= settings.unknownCodeTries {
                try tx.recordFailure(ticket, httpStatus: rejection.httpStatus, resultcode: code, resultDesc: description, resultClass: "unknown", disposition: .fail(code: code ?? "http_\(rejection.httpStatus)", description: "\(description) (unknown code, \(ticket.attempt) tries)"), now: now)
            } else {
                try requeue(now.addingTimeInterval(settings.retry.delay(attempt: ticket.attempt - 1, using: &random).timeInterval))
            }
        case .halt:
            // 1010013 is clock skew; the reference also names it as a cause of
            // 1023006. Either way the other Created convention gets one try.
            if let code, Self.clockSkewCodes.contains(code), settings.createdClock == .auto, !createdClockSwitched {
                createdClockSwitched = true
                createdClock = createdClock.other
                logger.warning("platform refused the Created time (\(code)); switching the X-AKSK clock convention", metadata: ["now": "\(createdClock.rawValue)"])
                try requeue(now)
                return
            }
            try requeue(now)
            try enterHalt(code: code ?? "http_\(rejection.httpStatus)", reason: description, now: now, in: tx)
        case .job:
            try tx.recordFailure(ticket, httpStatus: rejection.httpStatus, resultcode: code, resultDesc: description, resultClass: "job", disposition: .fail(code: code ?? "-", description: description), now: now)
            logger.info("job failed", metadata: ["job": "\(ticket.jobId)", "code": "\(code ?? "-")", "reason": "\(description)"])
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
