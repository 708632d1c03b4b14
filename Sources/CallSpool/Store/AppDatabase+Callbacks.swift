import Foundation
import GRDB
import VoiceCallAPI

/// What committing one callback POST did.
public struct CallbackCommit: Sendable, Equatable {
    /// Calls that ended: free their ports (after commit).
    public var signals: [CallEndSignal] = []
    /// Events or CDRs stored but not attached to a job yet (sessionId unknown).
    public var pending = 0
    /// CDRs already stored (platform re-pushes): nothing changed for them.
    public var duplicates = 0

    public init() {}
}

extension AppDatabase {
    /// Stores one status event and applies it (and any earlier events of the
    /// same call still waiting) when its job is known, in the caller's
    /// transaction. Events whose call is not known yet are kept (`applied = 0`)
    /// until ``applyPendingEvents(sessionId:jobRowId:now:in:)`` attaches them.
    ///
    /// A `collectInfo` already stored for the same call with the same content
    /// (a re-push or a replay) is counted as a duplicate and changes nothing:
    /// its digits are appended once.
    static func recordStatusEvent(
        _ type: CallbackEventType, _ info: CallStatusInfo, body: String, app: String? = nil, now: Date, in db: Database
    ) throws -> CallbackCommit {
        if type == .collectInfo, try isRepeatedCollectInfo(info, body: body, in: db) {
            var commit = CallbackCommit()
            commit.duplicates = 1
            return commit
        }
        try insertCallEvent(type, info, body: body, app: app, now: now, in: db)
        var commit = CallbackCommit()
        guard let owner = try Self.claimCall(session: info.sessionId, userData: info.userData, app: app, now: now, in: db) else {
            commit.pending = 1
            return commit
        }
        commit.signals = try Self.applyPendingEvents(sessionId: info.sessionId, jobRowId: owner, now: now, in: db)
        return commit
    }

    /// Inserts one not yet applied `callEvent` row (a ``CallEventRecord``)
    /// through a cached statement: the receiver's hot path, so no record
    /// encoding per push.
    static func insertCallEvent(
        _ type: CallbackEventType, _ info: CallStatusInfo, body: String, app: String?, now: Date, in db: Database
    ) throws {
        try db.cachedStatement(sql: """
            INSERT INTO callEvent (sessionId, eventType, receivedAt, timestamp, userData, digitInfo, stateCode, stateDesc, body, jobRowId, applied, app)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?)
            """).execute(arguments: [
                info.sessionId, type.rawValue, now.timeIntervalSince1970, info.timestamp, info.userData, info.digitInfo,
                info.stateCode, info.stateDesc, body, app,
            ])
    }

    /// Whether a `collectInfo` with the same content is already stored for
    /// this call: same digits, userData and timestamp; without a timestamp
    /// (optional for callspool) the same body, so two key presses with the
    /// same digits but distinct pushes still both count.
    static func isRepeatedCollectInfo(_ info: CallStatusInfo, body: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM callEvent WHERE sessionId = ?1 AND eventType = 'collectInfo'
                    AND digitInfo IS ?2 AND userData IS ?3 AND timestamp IS ?4 AND (?4 IS NOT NULL OR body = ?5))
                """),
            arguments: [info.sessionId, info.digitInfo, info.userData, info.timestamp, body]) ?? false
    }

    /// Stores a batch of fee CDRs in the caller's transaction, one row per
    /// sessionId: a CDR already stored is counted as a duplicate and changes
    /// nothing. A new CDR whose call is known is applied at once (digits from
    /// `dynIVRPath`, completion when the disconnect was lost).
    static func recordFeeRecords(_ records: [FeeRecord], app: String? = nil, now: Date, in db: Database) throws -> CallbackCommit {
        var commit = CallbackCommit()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for record in records {
            let body = String(decoding: try encoder.encode(record), as: UTF8.self)
            try db.execute(
                sql: "INSERT INTO cdr (sessionId, receivedAt, body, applied, app) VALUES (?, ?, ?, 0, ?) ON CONFLICT(sessionId) DO NOTHING",
                arguments: [record.sessionId, now.timeIntervalSince1970, body, app])
            guard db.changesCount > 0 else {
                commit.duplicates += 1
                continue
            }
            guard let owner = try Self.claimCall(session: record.sessionId, userData: record.userData, app: app, now: now, in: db) else {
                commit.pending += 1
                continue
            }
            commit.signals += try Self.applyPendingEvents(sessionId: record.sessionId, jobRowId: owner, now: now, in: db)
        }
        return commit
    }

    /// One callback push to store (see ``recordCallbacks(_:)``).
    public struct CallbackPush: Sendable {
        public var event: CallbackEvent
        public var body: String
        public var now: Date
        /// The push's verified nonce, remembered in the same savepoint as the
        /// event (nil when signatures are not verified).
        public var nonce: CallbackNonce?
        /// The application whose secret signed it (nil: not checked): it
        /// may only change that application's calls.
        public var app: String?

        /// Texts are stored with NUL replaced by U+FFFD (PostgreSQL refuses
        /// NUL; a refused status push would be lost).
        public init(event: CallbackEvent, body: String, now: Date, nonce: CallbackNonce? = nil, app: String? = nil) {
            if CallbackEvent.mayHoldNUL(body) {
                self.event = event.replacingNUL()
                self.body = body.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}").replacingOccurrences(of: "\\u0000", with: "\\ufffd")
            } else {
                self.event = event
                self.body = body
            }
            self.now = now
            self.nonce = nonce
            self.app = app
        }
    }

    /// Stores several pushes in one transaction (group commit), each in its
    /// own savepoint: a push that cannot be stored fails alone. Runs on the
    /// store's writer queue, never blocking the caller's thread. When the
    /// commit itself fails, every push fails.
    ///
    /// Each push's nonce is claimed first in its savepoint: a nonce already
    /// remembered fails that push with ``CallbackReplayError`` and stores
    /// nothing of it, so a nonce is remembered exactly when its event is.
    /// Expired nonces are pruned once per batch.
    public func recordCallbacks(_ pushes: [CallbackPush]) async -> [Result<CallbackCommit, any Error>] {
        do {
            return try await writer.write { db in
                if let now = pushes.compactMap({ $0.nonce?.now }).min() {
                    try Self.pruneCallbackNonces(now: now, in: db)
                }
                return pushes.map { push in
                    Result {
                        var commit = CallbackCommit()
                        try db.inSavepoint {
                            if let nonce = push.nonce { try Self.claimCallbackNonce(nonce, in: db) }
                            switch push.event {
                            case .status(let type, let info):
                                commit = try Self.recordStatusEvent(type, info, body: push.body, app: push.app, now: push.now, in: db)
                            case .fee(let records):
                                commit = try Self.recordFeeRecords(records, app: push.app, now: push.now, in: db)
                            }
                            return .commit
                        }
                        return commit
                    }
                }
            }
        } catch {
            return pushes.map { _ in .failure(error) }
        }
    }

    /// Attaches events still waiting for a job that has since become
    /// reconcilable (its request's response was lost and the job went
    /// `dispatching` → `unknown`): run at start-up and periodically. Only
    /// events received within `horizon` are looked at, so strays (another
    /// application's calls) do not make the sweep slower forever.
    public func reconcilePendingEvents(now: Date, horizon: TimeInterval = 86_400) throws -> CallbackCommit {
        try writer.write { db in
            var commit = CallbackCommit()
            let rows = try Row.fetchAll(db, sql: """
                SELECT sessionId, app, MAX(userData) AS userData FROM (
                    SELECT sessionId, app, userData FROM callEvent WHERE applied = 0 AND receivedAt > ?1
                    UNION ALL
                    SELECT sessionId, app, json_extract(body, '$.userData') FROM cdr WHERE applied = 0 AND receivedAt > ?1
                ) GROUP BY sessionId, app ORDER BY sessionId, app
                """, arguments: [now.timeIntervalSince1970 - horizon])
            for row in rows {
                let sessionId: String = row["sessionId"]
                let userData: String? = row["userData"]
                // A pending event claims only a job of the application that signed it.
                guard let owner = try PendingEventClaim.owner(app: row["app"], {
                    try Self.claimCall(session: sessionId, userData: userData, app: $0, now: now, in: db)
                }) else {
                    commit.pending += 1
                    continue
                }
                commit.signals += try Self.applyPendingEvents(sessionId: sessionId, jobRowId: owner, now: now, in: db)
            }
            return commit
        }
    }
}
