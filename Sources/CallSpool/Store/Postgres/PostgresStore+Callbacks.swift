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
    public func recordCallbacks(_ pushes: [AppDatabase.CallbackPush]) async -> [Result<CallbackCommit, any Error>] {
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
    private func record(_ share: [(index: Int, push: AppDatabase.CallbackPush)], on link: PostgresLink) async -> [(Int, Result<CallbackCommit, any Error>)] {
        let pushes = share.map(\.push)
        do {
            let results = try await offPool { _ in
                try link.transaction { session in
                    try session.lockJobs(concernedBy: pushes)
                    if let now = pushes.compactMap({ $0.nonce?.now }).min() {
                        try session.send("DELETE FROM callbackNonce WHERE expiresAt < $1", [now])
                    }
                    var results: [Result<CallbackCommit, any Error>] = []
                    for push in pushes {
                        do {
                            results.append(.success(try session.savepoint { try session.record(push) }))
                        } catch let error as PostgresStoreError {
                            throw error
                        } catch {
                            results.append(.failure(error))
                        }
                    }
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

    public func reconcilePendingEvents(now: Date, horizon: TimeInterval) throws -> CallbackCommit {
        try callbackWriters[0].transaction { session in
            var commit = CallbackCommit()
            let rows = try session.rows(
                """
                SELECT sessionId, app, MAX(userData) AS userData FROM (
                    SELECT sessionId, app, userData FROM callEvent WHERE NOT applied AND receivedAt > $1
                    UNION ALL
                    SELECT sessionId, app, body::json->>'userData' FROM cdr WHERE NOT applied AND receivedAt > $1
                ) pending GROUP BY sessionId, app ORDER BY sessionId, app
                """, [now.timeIntervalSince1970 - horizon])
            for row in rows {
                let sessionId = try row.value("sessionid", as: String.self)
                let userData = try row.optional("userdata", as: String.self)
                // A pending event claims only a job of the application that signed it.
                guard let owner = try PendingEventClaim.owner(app: try row.optional("app", as: String.self), {
                    try session.claimCall(session: sessionId, userData: userData, app: $0, now: now)
                }) else {
                    commit.pending += 1
                    continue
                }
                commit.signals += try session.applyPendingEvents(sessionId: sessionId, jobRowId: owner, now: now)
            }
            return commit
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
    static func split(_ pushes: [AppDatabase.CallbackPush], among count: Int) -> [[(index: Int, push: AppDatabase.CallbackPush)]] {
        var shares = [[(index: Int, push: AppDatabase.CallbackPush)]](repeating: [], count: max(1, count))
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
    func lockJobs(concernedBy pushes: [AppDatabase.CallbackPush]) throws {
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

    func record(_ push: AppDatabase.CallbackPush) throws -> CallbackCommit {
        if let nonce = push.nonce {
            let claimed = try changes(
                """
                INSERT INTO callbackNonce (nonce, expiresAt) VALUES ($1, $2)
                ON CONFLICT (nonce) DO UPDATE SET expiresAt = excluded.expiresAt WHERE callbackNonce.expiresAt < $3
                """, [nonce.nonce, nonce.expiresAt, nonce.now])
            guard claimed > 0 else { throw CallbackReplayError(nonce: nonce.nonce) }
        }
        switch push.event {
        case .status(let type, let info):
            return try recordStatusEvent(type, info, body: push.body, app: push.app, now: push.now)
        case .fee(let records):
            return try recordFeeRecords(records, app: push.app, now: push.now)
        }
    }

    func recordStatusEvent(_ type: CallbackEventType, _ info: CallStatusInfo, body: String, app: String?, now: Date) throws -> CallbackCommit {
        var commit = CallbackCommit()
        if type == .collectInfo {
            let repeated = try scalar(
                Bool.self,
                """
                SELECT EXISTS (SELECT 1 FROM callEvent WHERE sessionId = $1 AND eventType = 'collectInfo'
                    AND digitInfo IS NOT DISTINCT FROM $2 AND userData IS NOT DISTINCT FROM $3 AND timestamp IS NOT DISTINCT FROM $4
                    AND ($4 IS NOT NULL OR body = $5))
                """, [info.sessionId, info.digitInfo, info.userData, info.timestamp, body]) ?? false
            if repeated {
                commit.duplicates = 1
                return commit
            }
        }
        try send(
            """
            INSERT INTO callEvent (sessionId, eventType, receivedAt, timestamp, userData, digitInfo, stateCode, stateDesc, body, applied, app)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false, $10)
            """,
            [info.sessionId, type.rawValue, now, info.timestamp, info.userData, info.digitInfo, info.stateCode, info.stateDesc, body, app])
        guard let owner = try claimCall(session: info.sessionId, userData: info.userData, app: app, now: now) else {
            commit.pending = 1
            return commit
        }
        commit.signals = try applyPendingEvents(sessionId: info.sessionId, jobRowId: owner, now: now)
        return commit
    }

    func recordFeeRecords(_ records: [FeeRecord], app: String?, now: Date) throws -> CallbackCommit {
        var commit = CallbackCommit()
        for record in records {
            let body = String(decoding: try PostgresRecordEncoder.jsonEncoder.encode(record), as: UTF8.self)
            let stored = try changes(
                "INSERT INTO cdr (sessionId, receivedAt, body, applied, app) VALUES ($1, $2, $3, false, $4) ON CONFLICT (sessionId) DO NOTHING",
                [record.sessionId, now, body, app])
            guard stored > 0 else {
                commit.duplicates += 1
                continue
            }
            guard let owner = try claimCall(session: record.sessionId, userData: record.userData, app: app, now: now) else {
                commit.pending += 1
                continue
            }
            commit.signals += try applyPendingEvents(sessionId: record.sessionId, jobRowId: owner, now: now)
        }
        return commit
    }

    /// The job that owns call `sessionId` (see the SQLite store's
    /// `claimCall`): by sessionId, else by a `userData` tag that reconciles
    /// an `unknown` job whose answer was lost (it moves to `in_call`).
    func claimCall(session sessionId: String, userData: String?, app: String?, now: Date) throws -> Int64? {
        let known =
            try row("SELECT attempt.jobRowId AS id, job.app AS app FROM attempt JOIN job ON job.id = attempt.jobRowId WHERE attempt.sessionId = $1", [sessionId])
            ?? row("SELECT id, app FROM job WHERE sessionId = $1", [sessionId])
        if let known {
            try AppDatabase.checkApplication(app, placedBy: try known.optional("app", as: String.self))
            return try known.value("id", as: Int64.self)
        }
        // The application is checked before the state: a push about another
        // application's job is refused whatever that job is doing now.
        guard let tag = UserDataTag(userData), var job = try lockedJob(tag.jobRowId) else { return nil }
        try AppDatabase.checkApplication(app, placedBy: job.app)
        guard job.state == .unknown else { return nil }
        guard let attempt = try self.row("SELECT n, sessionId FROM attempt WHERE jobRowId = $1 ORDER BY n DESC LIMIT 1", [tag.jobRowId]),
            try attempt.value("n", as: Int.self) == tag.attempt, try attempt.optional("sessionid", as: String.self) == nil
        else { return nil }
        try send("UPDATE attempt SET sessionId = $1 WHERE jobRowId = $2 AND n = $3", [sessionId, tag.jobRowId, tag.attempt])
        job.sessionId = sessionId
        job.calls += 1
        try transition(&job, to: .inCall, now: now)
        return tag.jobRowId
    }

    /// Applies the call's stored events (and fee CDR) not applied yet, in
    /// arrival order, as the SQLite store's `applyPendingEvents` does.
    func applyPendingEvents(sessionId: String, jobRowId: Int64, now: Date) throws -> [CallEndSignal] {
        var signals: [CallEndSignal] = []
        // Each row also says whether a fee CDR waits for the call, so the
        // usual push (an event, no CDR yet) costs one read, not two.
        let rows = try self.rows(
            """
            SELECT *, EXISTS (SELECT 1 FROM cdr WHERE cdr.sessionId = $1 AND NOT cdr.applied) AS "cdrwaiting"
            FROM callEvent WHERE sessionId = $1 AND NOT applied
            AND (app IS NULL OR app = (SELECT app FROM job WHERE id = $2) OR (SELECT app FROM job WHERE id = $2) IS NULL)
            ORDER BY id FOR UPDATE OF callEvent
            """, [sessionId, jobRowId])
        let events = try rows.map { try PostgresRecordDecoder.decode(CallEventRecord.self, from: $0) }
        let feeRecordMayWait = try rows.first?.value("cdrwaiting", as: Bool.self) ?? true
        for event in events {
            if let id = event.id {
                try send("UPDATE callEvent SET jobRowId = $1, applied = true WHERE id = $2", [jobRowId, id])
            }
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
                if let signal { signals.append(signal) }
            default:
                break
            }
        }
        if feeRecordMayWait, let signal = try applyPendingFeeRecord(sessionId: sessionId, jobRowId: jobRowId, now: now) {
            signals.append(signal)
        }
        return signals
    }

    func applyPendingFeeRecord(sessionId: String, jobRowId: Int64, now: Date) throws -> CallEndSignal? {
        guard let cdr = try record(
                CDRRecord.self,
                """
                SELECT * FROM cdr WHERE sessionId = $1
                AND (app IS NULL OR app = (SELECT app FROM job WHERE id = $2) OR (SELECT app FROM job WHERE id = $2) IS NULL)
                FOR UPDATE
                """, [sessionId, jobRowId]), !cdr.applied,
            let fee = try? JSONDecoder().decode(FeeRecord.self, from: Data(cdr.body.utf8))
        else { return nil }
        try send("UPDATE cdr SET jobRowId = $1, applied = true WHERE sessionId = $2", [jobRowId, sessionId])
        let collected = try scalar(
            Bool.self,
            "SELECT EXISTS (SELECT 1 FROM callEvent WHERE sessionId = $1 AND eventType = 'collectInfo' AND digitInfo IS NOT NULL AND digitInfo != '')",
            [sessionId]) ?? false
        let fallback = fee.dynIVRDigits
        if !collected, !fallback.isEmpty {
            try appendDigits(fallback, toJob: jobRowId, now: now)
        }
        return try endCall(jobRowId: jobRowId, sessionId: sessionId, ending: .feeRecord(fee), now: now)
    }

    func appendDigits(_ digits: [String], toJob jobRowId: Int64, now: Date) throws {
        guard var job = try lockedJob(jobRowId) else { return }
        job.digits += digits
        job.updatedAt = now
        try update(job)
    }

    /// Ends the job's live call as ``CallEndingPolicy`` says (see the SQLite store's `endCall`).
    func endCall(jobRowId: Int64, sessionId: String, ending: CallEnding, now: Date) throws -> CallEndSignal? {
        guard var job = try lockedJob(jobRowId), job.sessionId == sessionId, job.state == .inCall || job.state == .unknown else { return nil }
        let next = job.recordEnding(ending, now: now)
        try transition(&job, to: next, now: now)
        return CallEndSignal(jobRowId: jobRowId, sessionId: sessionId, outcome: ending.outcome, stateCode: ending.stateCode, app: job.app)
    }

    /// A disconnect without a stateCode: the port is free, the outcome waits for the fee CDR.
    func awaitFeeRecord(jobRowId: Int64, sessionId: String, stateDesc: String?, now: Date) throws -> CallEndSignal? {
        guard var job = try lockedJob(jobRowId), job.sessionId == sessionId, job.state == .inCall else { return nil }
        job.stateCode = nil
        let waiting = AppDatabase.awaitingFeeRecordDescription
        job.stateDesc = stateDesc.map { "\(waiting) (\($0))" } ?? waiting
        job.updatedAt = now
        try update(job)
        return CallEndSignal(jobRowId: jobRowId, sessionId: sessionId, outcome: nil, stateCode: nil, app: job.app)
    }
}
