import Foundation
import VoiceCallAPI

extension StoreTransaction {
    /// Stores one push and applies what it can, inside the caller's
    /// savepoint: its nonce is claimed first (a nonce already remembered
    /// throws ``CallbackReplayError`` and stores nothing), so a nonce is
    /// remembered exactly when its event is.
    public func record(_ push: CallbackPush) throws -> CallbackCommit {
        if let nonce = push.nonce, try !claimNonce(nonce) { throw CallbackReplayError(nonce: nonce.nonce) }
        switch push.event {
        case .status(let type, let info):
            return try recordStatusEvent(type, info, body: push.body, app: push.app, now: push.now)
        case .fee(let records):
            return try recordFeeRecords(push.feeRecordsAsSent(records), app: push.app, now: push.now)
        }
    }

    /// Stores one status event and applies it (and any earlier events of the
    /// same call still waiting) when its job is known. Events whose call is
    /// not known yet are kept until ``applyPendingEvents(sessionId:jobRowId:now:)``
    /// attaches them.
    ///
    /// A `collectInfo` already stored for the same call with the same content
    /// (a re-push or a replay) is counted as a duplicate and changes nothing:
    /// its digits are appended once.
    public func recordStatusEvent(_ type: CallbackEventType, _ info: CallStatusInfo, body: String, app: String? = nil, now: Date) throws -> CallbackCommit {
        var commit = CallbackCommit()
        if type == .collectInfo, try hasCollectInfo(like: info, body: body) {
            commit.duplicates = 1
            return commit
        }
        try insertEvent(type, info, body: body, app: app, now: now)
        guard let owner = try claimCall(session: info.sessionId, userData: info.userData, app: app, now: now) else {
            commit.pending = 1
            return commit
        }
        commit.add(try applyPendingCallbacks(sessionId: info.sessionId, jobRowId: owner, now: now))
        return commit
    }

    /// Stores a batch of fee CDRs, one per sessionId: a CDR already stored
    /// is counted as a duplicate and changes nothing (so its billed minutes
    /// are added once). A new CDR whose call is known is applied at once
    /// (billed minutes, digits from `dynIVRPath`, completion when the
    /// disconnect was lost). Each record comes with its text as the platform
    /// sent it, kept beside its parsed fields for audit.
    public func recordFeeRecords(_ records: [ReceivedFeeRecord], app: String? = nil, now: Date) throws -> CallbackCommit {
        var commit = CallbackCommit()
        for received in records {
            let record = received.record
            guard try insertFeeRecord(record, raw: received.raw, app: app, now: now) else {
                commit.duplicates += 1
                continue
            }
            guard let owner = try claimCall(session: record.sessionId, userData: record.userData, app: app, now: now) else {
                commit.pending += 1
                continue
            }
            commit.add(try applyPendingCallbacks(sessionId: record.sessionId, jobRowId: owner, now: now))
        }
        return commit
    }

    /// Stores a batch of pushes, each in a savepoint of its own (a push that
    /// cannot be stored fails alone); expired nonces are pruned once first.
    /// An error the transaction does not survive fails the batch.
    public func record(_ pushes: [CallbackPush]) throws -> [Result<CallbackCommit, any Error>] {
        if let now = pushes.compactMap({ $0.nonce?.now }).min() {
            try pruneNonces(now: now)
        }
        var results: [Result<CallbackCommit, any Error>] = []
        for push in pushes {
            do {
                results.append(.success(try isolated { try record(push) }))
            } catch where !survives(error) {
                throw error
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }

    /// Attaches events still waiting for a job that has since become
    /// reconcilable (its request's response was lost and the job went
    /// `dispatching` → `unknown`): run at start-up and periodically. Only
    /// events received within `horizon` are looked at, so strays (another
    /// application's calls) do not make the sweep slower forever. A pending
    /// event claims only a job of the application that signed it.
    public func reconcilePendingEvents(now: Date, horizon: TimeInterval) throws -> CallbackCommit {
        var commit = CallbackCommit()
        for call in try pendingCalls(receivedAfter: now.addingTimeInterval(-horizon)) {
            guard let owner = try PendingEventClaim.owner(app: call.app, {
                try claimCall(session: call.sessionId, userData: call.userData, app: $0, now: now)
            }) else {
                commit.pending += 1
                continue
            }
            commit.add(try applyPendingCallbacks(sessionId: call.sessionId, jobRowId: owner, now: now))
        }
        return commit
    }
}
