import Foundation
import Logging
import VoiceCallAPI

/// The changes both stores make to a job row for one event, apart from how
/// each writes it: what ending a call, failing an unreadable payload and
/// preparing a retry do to the job. The stores read the row, apply one of
/// these, and write it (SQLite through GRDB, PostgreSQL through its session).
extension JobRecord {
    /// Moves the job to `next`, checking the lifecycle graph: stamps
    /// `updatedAt`/`finishedAt` and erases a verify job's code once terminal.
    /// Both stores change a job's state only through this.
    mutating func enter(_ next: JobState, now: Date) throws {
        try state.checkTransition(to: next)
        state = next
        updatedAt = now
        if next.isTerminal {
            finishedAt = now
            if type == .verify {
                payload = payload.erasingVerifyCodes()
                SecretErasures.record()
            }
        } else {
            finishedAt = nil
        }
    }

    /// Records how the live call ended and the state it leads to, as
    /// ``CallEndingPolicy`` says (a redial or a throttled requeue, else
    /// `completed`); the caller then enters that state.
    mutating func recordEnding(_ ending: CallEnding, now: Date) -> JobState {
        outcome = ending.outcome
        stateCode = ending.stateCode
        stateDesc = ending.stateDesc
        switch CallEndingPolicy.next(for: self, outcome: ending.outcome, now: now) {
        case .retry(let at, let giveCallBack):
            if giveCallBack { calls = max(0, calls - 1) }
            nextAttemptAt = at
            return .queued
        case .complete:
            return .completed
        }
    }

    /// Why a job that placed no (further) call ended `expired`, kept on the
    /// job (error code `expired`) so `job`, `job --json`, results files and
    /// the report all say it. The caller then enters `expired`.
    mutating func noteExpiry(_ description: String) {
        errorCode = Self.expiredErrorCode
        errorDesc = description
    }

    /// The error code of a job that expired without a platform code of its own.
    public static let expiredErrorCode = "expired"

    /// The job's error as shown (code, description): its own, or for an
    /// expired job stored before expiries had a code, `expired` with the
    /// reason that was kept.
    public var shownError: (code: String, description: String)? {
        if let errorCode { return (errorCode, errorDesc ?? "") }
        if state == .expired, let errorDesc { return (Self.expiredErrorCode, errorDesc) }
        return nil
    }

    /// Records a request that placed no call and the state its disposition
    /// leads to (a requeue past the job's expiry is `expired`); the caller
    /// then enters that state.
    mutating func recordFailure(
        resultcode: String?, resultDesc: String?, resultClass: String, disposition: Disposition
    ) -> JobState {
        errorCode = resultcode
        errorDesc = resultDesc
        switch disposition {
        case .requeue(let at):
            guard at < expiresAt else {
                errorDesc = "expired: " + (resultDesc ?? resultClass)
                return .expired
            }
            nextAttemptAt = at
            return .queued
        case .fail(let code, let description):
            errorCode = code
            errorDesc = description
            return .failed
        case .unknown(let reason):
            errorDesc = reason
            return .unknown
        }
    }

    /// Starts the job's next attempt, the same for every store: its payload
    /// decoded, the attempt counted, the job moved to `dispatching` and
    /// stored with `write`. Returns the request's ticket (the caller writes
    /// the attempt row from it); nil when the job is no longer queued, or
    /// when its stored payload cannot be decoded (``StoredJobPayload/decode()``):
    /// then the job is `failed` (error code `payload`, ``StoredPayloadError``),
    /// so it is neither sent nor skipped on every pass.
    mutating func beginAttempt(displayNbr: String, fromPool: Bool, now: Date, write: (JobRecord) throws -> Void) throws -> DispatchTicket? {
        guard let jobRowId = rowId, state == .queued else { return nil }
        let payload: JobPayload
        switch self.payload.decode() {
        case .success(let decoded):
            payload = decoded
        case .failure(let problem):
            try failUnreadablePayload(problem, now: now, write: write)
            return nil
        }
        attempts += 1
        try enter(.dispatching, now: now)
        try write(self)
        return DispatchTicket(
            jobRowId: jobRowId, jobId: jobId, type: type, attempt: attempts, userData: "cs1.\(jobRowId).\(attempts)", calleeNbr: calleeNbr,
            displayNbr: displayNbr, payload: payload, expiresAt: expiresAt, campaign: campaign, displayFromPool: fromPool)
    }

    /// The stored payload cannot be decoded: the job goes through
    /// `dispatching` (the one way to `failed`; nothing is sent, no attempt
    /// recorded) to `failed` with error code `payload`, rather than being
    /// skipped on every pass until it expires; logged without the callee's
    /// number or any code. `write` stores each state.
    mutating func failUnreadablePayload(_ problem: StoredPayloadError, now: Date, write: (JobRecord) throws -> Void) throws {
        try enter(.dispatching, now: now)
        try write(self)
        errorCode = StoredPayloadError.errorCode
        errorDesc = problem.description
        try enter(.failed, now: now)
        try write(self)
        Logger(label: "callspool.dispatch").error(
            "job failed: its stored payload cannot be decoded",
            metadata: [
                "job": "\(LogRedaction.maskPhoneNumbers(in: jobId))", "callee": "\(PhoneMask.mask(calleeNbr))", "error": "\(problem)",
            ])
    }

    /// What an operator's retry does with this job.
    enum RetryPreparation { case requeue, skipErasedCode, notRetryable }

    /// Prepares an operator's retry: a verify job whose code was erased
    /// cannot be sent again; a job that may go back to `queued` is due now,
    /// with its cancel flag and error cleared and, when past its expiry, a
    /// new one `retryTTL` from now. The caller then enters `queued`.
    mutating func prepareRetry(now: Date, retryTTL: (JobType) -> Duration) -> RetryPreparation {
        if type == .verify, case .verify(let verify)? = payload.decoded, verify.verifyCode.isEmpty { return .skipErasedCode }
        guard state.canTransition(to: .queued) else { return .notRetryable }
        nextAttemptAt = now
        cancelRequested = false
        if expiresAt <= now { expiresAt = now.addingTimeInterval(retryTTL(type).timeInterval) }
        errorCode = nil
        errorDesc = nil
        return .requeue
    }
}

extension JobRecord {
    /// What a job disconnected without a `stateCode` says while it waits for
    /// its fee CDR. The call is over and its port free, but the job stays
    /// `in_call` for the CDR (which the platform re-pushes; the disconnect is
    /// never re-sent). The call lease starts again from then, so the CDR has
    /// `limits.call_lease` to arrive; after that the job becomes `unknown`
    /// like any call whose lease ran out, and a later CDR still completes it.
    public static let awaitingFeeRecordDescription = "disconnected without stateCode; the outcome waits for the fee CDR"
}
