import CallSpoolCore
import Foundation
import PostgresNIO
import VoiceCallAPI

extension PostgresStore {
    /// Stores pushes (group commit), each in a savepoint of its own, off
    /// the async runtime's threads. A push's nonce is claimed in its
    /// savepoint: a replay stores nothing.
    ///
    /// On the callbacks' own connections, so pushes are stored while the
    /// dispatcher writes on its connection. A batch is shared among them by
    /// call (``CallbackShares``): every push of a call goes, in order, to the
    /// same connection, and the shares commit side by side, each in one
    /// transaction. The jobs a share's pushes may change are locked first,
    /// in row-id order, as an answer batch locks its jobs: the two wait for
    /// each other rather than deadlock.
    public func recordCallbacks(_ pushes: [CallbackPush]) async -> [Result<CallbackCommit, any Error>] {
        let shares = CallbackShares.split(pushes, among: callbackWriters.count)
        var results = [Result<CallbackCommit, any Error>?](repeating: nil, count: pushes.count)
        await withTaskGroup(of: [(Int, Result<CallbackCommit, any Error>)].self) { group in
            for (link, share) in zip(callbackWriters, shares) where !share.isEmpty {
                group.addTask { await self.record(share, on: link) }
            }
            for await stored in group {
                for (index, result) in stored { results[index] = result }
            }
        }
        return results.map { $0 ?? .failure(PostgresStoreError.connectionLost("a push was not handed to any connection")) }
    }

    /// One share of a batch of pushes, in one transaction on `link`.
    private func record(_ share: [(index: Int, push: CallbackPush)], on link: PostgresLink) async -> [(Int, Result<CallbackCommit, any Error>)] {
        let pushes = share.map(\.push)
        do {
            let results = try await offPool { _ in
                try link.transaction { session in
                    try session.lockJobs(concernedBy: pushes)
                    let results = try PostgresTransaction(session: session, store: self).record(pushes)
                    if results.contains(where: { (try? $0.get())?.signals.isEmpty == false }) {
                        try session.notify(PostgresSchema.wakeupChannel)
                    }
                    return results
                }
            }
            return Array(zip(share.map(\.index), results))
        } catch {
            return share.map { ($0.index, .failure(error)) }
        }
    }

    /// On the first callback connection, beside the receiver's pushes.
    public func reconcilePendingEvents(now: Date, horizon: TimeInterval) throws -> CallbackCommit {
        try callbackWriters[0].transaction { session in
            try PostgresTransaction(session: session, store: self).reconcilePendingEvents(now: now, horizon: horizon)
        }
    }

    public func isCallbackNonceLive(_ nonce: String, now: Int64) async throws -> Bool {
        try await offPool { _ in
            try self.read { session in
                try session.scalar(Bool.self, "SELECT EXISTS (SELECT 1 FROM callbackNonce WHERE nonce = $1 AND expiresAt >= $2)", [nonce, now]) ?? false
            }
        }
    }

    /// With several instances this covers only the nonces stored before
    /// this one started; the claim in the push's own transaction stays the
    /// authority for a replay sent to another instance.
    public func latestCallbackNonceExpiry() async throws -> Int64? {
        try await offPool { _ in try self.read { session in try session.scalar(Int64.self, "SELECT MAX(expiresAt) FROM callbackNonce") } }
    }

    public func callbackNonceCount() throws -> Int {
        try read { session in Int(try session.scalar(Int64.self, "SELECT COUNT(*) FROM callbackNonce") ?? 0) }
    }
}

/// How a batch of pushes is shared among the callback connections.
enum CallbackShares {
    /// Splits `pushes` into `count` shares (indexes kept), calls dealt out
    /// in turn: all pushes of one call (by sessionId; a fee push by its
    /// first record's) land in one share, in their order, so a call's
    /// events are applied in order by one transaction.
    static func split(_ pushes: [CallbackPush], among count: Int) -> [[(index: Int, push: CallbackPush)]] {
        var shares = [[(index: Int, push: CallbackPush)]](repeating: [], count: max(1, count))
        var shareOfCall: [String: Int] = [:]
        for (index, push) in pushes.enumerated() {
            let call: String
            switch push.event {
            case .status(_, let info): call = info.sessionId
            case .fee(let records): call = records.first?.sessionId ?? ""
            }
            let share = shareOfCall[call] ?? (shareOfCall.count % shares.count)
            shareOfCall[call] = share
            shares[share].append((index, push))
        }
        return shares
    }
}

extension PostgresSession {
    /// Locks, in row-id order, the jobs that own the pushes' calls (by
    /// sessionId) or that their userData names.
    func lockJobs(concernedBy pushes: [CallbackPush]) throws {
        var sessions: [String] = []
        var tagged: [Int64] = []
        for push in pushes {
            switch push.event {
            case .status(_, let info):
                sessions.append(info.sessionId)
                if let tag = UserDataTag(info.userData) { tagged.append(tag.jobRowId) }
            case .fee(let records):
                for record in records {
                    sessions.append(record.sessionId)
                    if let tag = UserDataTag(record.userData) { tagged.append(tag.jobRowId) }
                }
            }
        }
        guard !sessions.isEmpty else { return }
        try execute(
            """
            SELECT id FROM job WHERE id IN (
                SELECT jobRowId FROM attempt WHERE sessionId = ANY($1::text[])
                UNION SELECT id FROM job WHERE sessionId = ANY($1::text[])
                UNION SELECT unnest($2::bigint[]))
            ORDER BY id FOR UPDATE
            """, [PostgresTextArray(sessions), PostgresInt64Array(tagged)])
    }
}
