import Foundation
import VoiceCallAPI

extension StoreTransaction {
    /// At start-up: requests that were in flight when the daemon stopped may
    /// have placed calls. They become `unknown`, never re-sent automatically;
    /// callbacks reconcile them.
    public func recoverInterruptedDispatches(app: String, now: Date) throws -> Int {
        try checkLease()
        let jobs = try jobs(.dispatching(app: app), limit: nil)
        for var job in jobs {
            job.errorCode = nil
            job.errorDesc = "the daemon stopped while this job's request was in flight; waiting for callbacks"
            try transition(&job, to: .unknown, now: now)
        }
        return jobs.count
    }

    /// `in_call` jobs whose lease ran out without disconnect or CDR become `unknown`.
    public func expireCallLeases(now: Date, lease: Duration) throws -> [Int64] {
        let jobs = try jobs(.inCallSince(before: now.addingTimeInterval(-lease.timeInterval)), limit: nil)
        for var job in jobs {
            job.errorDesc = "no disconnect or CDR within the call lease (\(DurationText.format(lease)))"
            try transition(&job, to: .unknown, now: now)
        }
        return jobs.compactMap(\.rowId)
    }

    /// Queued jobs past their expiry become `expired`.
    public func expireQueuedJobs(now: Date, limit: Int) throws -> [Int64] {
        let jobs = try jobs(.queuedExpired(at: now), limit: limit)
        for var job in jobs {
            job.noteExpiry(job.attempts == 0 ? "expired before it could be sent" : "expired while waiting to be retried")
            try transition(&job, to: .expired, now: now)
        }
        return jobs.compactMap(\.rowId)
    }

    /// Expires `unknown` jobs past their expiry, like queued ones: the call
    /// may have happened or not, but it will never be sent again, so a verify
    /// code has no use left and is erased (``JobRecord/enter(_:now:)``).
    public func expireUnknownJobs(now: Date, limit: Int) throws -> [Int64] {
        let jobs = try jobs(.unknownExpired(at: now), limit: limit)
        for var job in jobs {
            job.noteExpiry("expired while its outcome was unknown (no answer or callback matched it)")
            try transition(&job, to: .expired, now: now)
        }
        return jobs.compactMap(\.rowId)
    }

    /// Queues again the `unknown` notify jobs for which the evidence says no
    /// call happened: no status event and no CDR matched to them (by job or
    /// by the userData of any of their attempts) for `after`, while the
    /// callback receiver was up since before their last request was sent
    /// (`receiverUpSince`, from the heartbeat). The platform re-pushes a CDR
    /// for 6 hours, so after 7 hours of silence with the receiver listening
    /// the call did not take place. Attempts are kept; `errorDesc` says why.
    /// Verify jobs are not requeued (their code would be late anyway).
    /// Returns the job ids requeued (at most `limit`).
    public func requeueUnheardUnknownJobs(now: Date, after: Duration, receiverUpSince: Date, limit: Int) throws -> [String] {
        guard after > .zero else { return [] }
        try checkLease()
        let jobs = try jobs(.unheardUnknown(updatedBefore: now.addingTimeInterval(-after.timeInterval), sentSince: receiverUpSince), limit: limit)
        for var job in jobs {
            job.errorCode = nil
            job.errorDesc = "requeued: no status event or CDR for \(DurationText.format(after)) while the callback receiver was up, so no call took place"
            job.nextAttemptAt = now
            try transition(&job, to: .queued, now: now)
        }
        return jobs.map(\.jobId)
    }

    /// Pushes a queued job's next try later (window closed, callee limit, …)
    /// without a state change; past its expiry it becomes `expired`.
    public func postpone(_ job: inout JobRecord, until: Date, reason: String, now: Date) throws {
        if until >= job.expiresAt {
            job.noteExpiry("expired: \(reason)")
            try transition(&job, to: .expired, now: now)
        } else {
            job.nextAttemptAt = until
            job.updatedAt = now
            try writeNextAttempt(job)
        }
    }

    /// Ends a queued job without a call: `canceled` directly, or `failed`
    /// through `dispatching` (the lifecycle's one way to `failed`; no
    /// attempt row, nothing sent), with its error code and description.
    public func refuse(_ job: inout JobRecord, ending: JobState, errorCode: String, errorDesc: String, now: Date) throws {
        guard job.state == .queued else { return }
        if ending == .failed {
            try transition(&job, to: .dispatching, now: now)
        }
        job.errorCode = errorCode
        job.errorDesc = errorDesc
        try transition(&job, to: ending, now: now)
    }

    /// Moves a queued job to `dispatching` and writes its attempt row before
    /// the request is sent (``JobRecord/beginAttempt(displayNbr:fromPool:now:write:)``).
    public func beginAttempt(_ job: inout JobRecord, displayNbr: String, fromPool: Bool, now: Date) throws -> DispatchTicket? {
        guard let ticket = try job.beginAttempt(displayNbr: displayNbr, fromPool: fromPool, now: now, write: { try write($0) }) else { return nil }
        try insertAttempt(ticket, at: now)
        return ticket
    }

    /// The platform accepted: the attempt keeps the answer; a job still
    /// `dispatching` is `in_call` with its sessionId, and events that
    /// arrived before this response are applied now.
    public func recordAcceptance(_ ticket: DispatchTicket, acceptance: CallAcceptance, now: Date) throws -> [CallEndSignal] {
        guard let answered = try answeredJob(ticket, sessionId: acceptance.sessionId) else { return [] }
        try writeAnswer(AttemptAnswer(
            jobRowId: ticket.jobRowId, n: ticket.attempt, httpStatus: acceptance.httpStatus, resultcode: "0", resultDesc: acceptance.resultdesc,
            resultClass: "ok", sessionId: acceptance.sessionId))
        guard answered.job.state == .dispatching else { return [] }
        var job = answered.job
        job.sessionId = acceptance.sessionId
        job.calls += 1
        job.errorCode = nil
        job.errorDesc = nil
        try transition(&job, to: .inCall, now: now)
        guard answered.callbacksWaiting else { return [] }
        return try applyPendingEvents(sessionId: acceptance.sessionId, jobRowId: ticket.jobRowId, now: now)
    }

    /// Records a rejected or failed request; a job still `dispatching`
    /// moves on as `disposition` says (``JobRecord/recordFailure(resultcode:resultDesc:resultClass:disposition:)``).
    public func recordFailure(
        _ ticket: DispatchTicket, httpStatus: Int?, resultcode: String?, resultDesc: String?, resultClass: String, disposition: Disposition,
        now: Date
    ) throws {
        guard let answered = try answeredJob(ticket, sessionId: nil) else { return }
        try writeAnswer(AttemptAnswer(
            jobRowId: ticket.jobRowId, n: ticket.attempt, httpStatus: httpStatus, resultcode: resultcode, resultDesc: resultDesc,
            resultClass: resultClass, sessionId: nil))
        guard answered.job.state == .dispatching else { return }
        var job = answered.job
        let next = job.recordFailure(resultcode: resultcode, resultDesc: resultDesc, resultClass: resultClass, disposition: disposition)
        try transition(&job, to: next, now: now)
    }
}
