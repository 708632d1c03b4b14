import Foundation
import VoiceCallAPI

extension StoreTransaction {
    /// The job that owns call `sessionId`, or nil while it is not known yet;
    /// not a mere lookup (hence the name): it may attach the call to a job
    /// whose answer was lost, moving that job to `in_call`.
    ///
    /// By sessionId first (the attempt row, then the job row). Failing that, a
    /// `userData` of `cs1.<jobRowId>.<n>` reconciles a job whose HTTP response
    /// was lost: when the job is `unknown` and attempt n is its latest attempt
    /// with no sessionId yet, the attempt and job get the sessionId, the call is
    /// counted and the job moves to `in_call` (the caller then applies the
    /// events, which may complete it). A job still `dispatching` is left alone:
    /// its request is in flight and the dispatcher's acceptance attaches the
    /// events through ``applyPendingEvents(sessionId:jobRowId:now:)``; if
    /// that response is lost, the sweeper (``reconcilePendingEvents(now:horizon:)``)
    /// picks them up once the job is `unknown`.
    ///
    /// `app`, when given, is the application whose secret signed the push: a
    /// call placed by another application throws ``CallbackApplicationMismatch``
    /// (the push changes nothing). The application is checked before the
    /// state: a push about another application's job is refused whatever
    /// that job is doing now.
    public func claimCall(session sessionId: String, userData: String?, app: String?, now: Date) throws -> Int64? {
        if let known = try callOwner(sessionId: sessionId) {
            try CallbackApplicationMismatch.check(app, placedBy: known.app)
            return known.jobRowId
        }
        guard let tag = UserDataTag(userData), var job = try job(rowID: tag.jobRowId) else { return nil }
        try CallbackApplicationMismatch.check(app, placedBy: job.app)
        guard job.state == .unknown, let attempt = try latestAttempt(jobRowId: tag.jobRowId),
            attempt.n == tag.attempt, attempt.sessionId == nil
        else { return nil }
        try attachSession(sessionId, jobRowId: tag.jobRowId, attempt: tag.attempt)
        job.sessionId = sessionId
        job.calls += 1
        try transition(&job, to: .inCall, now: now)
        return tag.jobRowId
    }

    /// Applies the stored, not yet applied status events (and a fee CDR) of
    /// call `sessionId` to job `jobRowId`, in arrival order.
    ///
    /// The dispatcher calls this in the transaction that stores an accepted
    /// call's sessionId, because `collectInfo` (even `disconnect`) can arrive
    /// before the HTTP response; the receiver calls it for every event whose
    /// owner is known. `collectInfo` appends its `digitInfo` to the job's
    /// digits; `disconnect` ends the call (``endCall(jobRowId:sessionId:ending:now:)``),
    /// or, without a stateCode, frees its port and leaves the outcome to the CDR
    /// (``awaitFeeRecord(jobRowId:sessionId:stateDesc:now:)``); a pending CDR
    /// fills digits from `dynIVRPath` when no `collectInfo` gave any for this
    /// call, and ends the call if no disconnect did. Returns the
    /// port-release signals to send after commit.
    public func applyPendingEvents(sessionId: String, jobRowId: Int64, now: Date) throws -> [CallEndSignal] {
        try applyPendingCallbacks(sessionId: sessionId, jobRowId: jobRowId, now: now).signals
    }

    /// ``applyPendingEvents(sessionId:jobRowId:now:)``, also saying which
    /// CDR was applied and the minutes it billed (for the metric).
    public func applyPendingCallbacks(sessionId: String, jobRowId: Int64, now: Date) throws -> CallbackCommit {
        var applied = CallbackCommit()
        let pending = try pendingEvents(sessionId: sessionId, jobRowId: jobRowId)
        for event in pending.events {
            try markEventApplied(event.id, jobRowId: jobRowId)
            switch event.eventType {
            case CallbackEventType.collectInfo.rawValue:
                if let digits = event.digitInfo, !digits.isEmpty {
                    try appendDigits([digits], toJob: jobRowId, now: now)
                }
            case CallbackEventType.disconnect.rawValue:
                let signal: CallEndSignal?
                if let ending = CallEnding.disconnect(stateCode: event.stateCode, stateDesc: event.stateDesc) {
                    signal = try endCall(jobRowId: jobRowId, sessionId: sessionId, ending: ending, now: now)
                } else {
                    signal = try awaitFeeRecord(jobRowId: jobRowId, sessionId: sessionId, stateDesc: event.stateDesc, now: now)
                }
                if let signal { applied.signals.append(signal) }
            default:
                break
            }
        }
        if pending.feeRecordMayWait {
            applied.add(try applyPendingFeeRecord(sessionId: sessionId, jobRowId: jobRowId, now: now))
        }
        return applied
    }

    /// Applies the stored CDR of `sessionId` if it is not applied yet.
    ///
    /// The CDR is marked applied in the same transaction that adds its billed
    /// minutes, and a call has one CDR row (``insertFeeRecord(_:raw:app:now:)``
    /// refuses a re-push): each call's minutes are added to its job exactly
    /// once, whether the CDR comes before or after the disconnect, and a
    /// redialled job sums its calls.
    func applyPendingFeeRecord(sessionId: String, jobRowId: Int64, now: Date) throws -> CallbackCommit {
        var applied = CallbackCommit()
        guard let record = try pendingFeeRecord(sessionId: sessionId, jobRowId: jobRowId) else { return applied }
        try markFeeRecordApplied(sessionId: sessionId, jobRowId: jobRowId)
        if let billed = try addBilledMinutes(of: record, toJob: jobRowId, now: now) { applied.billed.append(billed) }
        let fallback = record.dynIVRDigits
        if !fallback.isEmpty, try !hasCollectedDigits(sessionId: sessionId) {
            try appendDigits(fallback, toJob: jobRowId, now: now)
        }
        if let signal = try endCall(jobRowId: jobRowId, sessionId: sessionId, ending: .feeRecord(record), now: now) {
            applied.signals.append(signal)
        }
        return applied
    }

    /// Adds the minutes `record` bills (``BilledMinutes``) to its job. A
    /// terminal job whose minutes change has its results file queued again
    /// (the schemas' `job_terminal_billed` trigger, in this transaction).
    func addBilledMinutes(of record: FeeRecord, toJob jobRowId: Int64, now: Date) throws -> BilledCall? {
        guard var job = try job(rowID: jobRowId) else { return nil }
        let minutes = BilledMinutes.minutes(of: record)
        if minutes > 0 {
            job.billedMinutes += minutes
            job.updatedAt = now
            try write(job)
        }
        return BilledCall(jobRowId: jobRowId, sessionId: record.sessionId, app: job.app, type: job.type, minutes: minutes)
    }

    /// Appends collected digits to a job, in order. A job already terminal has
    /// its results file queued again so the file shows them too (by the
    /// schemas' `job_terminal_digits` trigger, in this transaction).
    ///
    /// Digits equal to the job's `optOut` keys put the callee on the
    /// suppression list (source `dtmf-opt-out`, in the scope chosen at
    /// intake), in the same transaction: the press is never recorded
    /// without the suppression, nor the other way round.
    func appendDigits(_ digits: [String], toJob jobRowId: Int64, now: Date) throws {
        guard var job = try job(rowID: jobRowId) else { return }
        let wasOptedOut = job.optedOut
        job.digits += digits
        job.updatedAt = now
        try write(job)
        if !wasOptedOut, job.optedOut, let keys = job.optOutDigits {
            let entry = SuppressionRecord(
                number: job.calleeNbr, scope: job.optOutScope ?? "", reason: "pressed \(keys) during the call of job \(job.jobId)",
                source: .dtmfOptOut, jobId: job.jobId, campaign: job.campaign, createdAt: now, createdBy: "callspool")
            if try !suppress([entry]).isEmpty { OptOutTally.record(campaign: job.campaign) }
        }
    }

    /// Ends call `sessionId` of job `jobRowId` with `ending`; used by both
    /// the `disconnect` and the fee-CDR path.
    ///
    /// Acts only while that call is the job's live one (`in_call`, or `unknown`
    /// once reconciled, with `job.sessionId == sessionId`), so a second ending
    /// of the same call (disconnect then CDR) changes nothing and returns nil.
    /// Otherwise stores outcome, stateCode and stateDesc and moves the job as
    /// ``CallEndingPolicy`` says (``JobRecord/recordEnding(_:now:)``).
    /// Returns the signal the dispatcher needs to free the port.
    func endCall(jobRowId: Int64, sessionId: String, ending: CallEnding, now: Date) throws -> CallEndSignal? {
        guard var job = try job(rowID: jobRowId), job.sessionId == sessionId, job.state == .inCall || job.state == .unknown else { return nil }
        let next = job.recordEnding(ending, now: now)
        try transition(&job, to: next, now: now)
        return CallEndSignal(jobRowId: jobRowId, sessionId: sessionId, outcome: ending.outcome, stateCode: ending.stateCode, app: job.app)
    }

    /// A disconnect without a stateCode: the port is free, the outcome waits
    /// for the fee CDR (the job stays `in_call`, saying so).
    func awaitFeeRecord(jobRowId: Int64, sessionId: String, stateDesc: String?, now: Date) throws -> CallEndSignal? {
        guard var job = try job(rowID: jobRowId), job.sessionId == sessionId, job.state == .inCall else { return nil }
        job.stateCode = nil
        let waiting = JobRecord.awaitingFeeRecordDescription
        job.stateDesc = stateDesc.map { "\(waiting) (\($0))" } ?? waiting
        job.updatedAt = now
        try write(job)
        return CallEndSignal(jobRowId: jobRowId, sessionId: sessionId, outcome: nil, stateCode: nil, app: job.app)
    }
}
