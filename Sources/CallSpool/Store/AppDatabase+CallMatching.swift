import Foundation
import GRDB
import VoiceCallAPI

extension AppDatabase {
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
    /// events through ``applyPendingEvents(sessionId:jobRowId:now:in:)``; if
    /// that response is lost, ``reconcilePendingEvents(now:)`` picks them up
    /// once the job is `unknown`.
    ///
    /// `app`, when given, is the application whose secret signed the push: a
    /// call placed by another application throws ``CallbackApplicationMismatch``
    /// (the push changes nothing).
    static func claimCall(session sessionId: String, userData: String?, app: String? = nil, now: Date, in db: Database) throws -> Int64? {
        // The job's application comes with the match: no second query per event.
        let known = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT attempt.jobRowId AS id, job.app AS app FROM attempt JOIN job ON job.id = attempt.jobRowId WHERE attempt.sessionId = ?"),
            arguments: [sessionId])
            ?? Row.fetchOne(db.cachedStatement(sql: "SELECT id, app FROM job WHERE sessionId = ?"), arguments: [sessionId])
        if let known {
            try checkApplication(app, placedBy: known["app"])
            return known["id"]
        }
        // The application is checked before the state: a push about another
        // application's job is refused whatever that job is doing now.
        guard let tag = UserDataTag(userData), var job = try fetchJob(tag.jobRowId, in: db),
            try Self.checkedApplication(app, of: job), job.state == .unknown,
            var attempt = try AttemptRecord
                .filter(AttemptRecord.Columns.jobRowId == tag.jobRowId)
                .order(AttemptRecord.Columns.n.desc)
                .fetchOne(db),
            attempt.n == tag.attempt, attempt.sessionId == nil
        else { return nil }
        attempt.sessionId = sessionId
        try attempt.update(db)
        job.sessionId = sessionId
        job.calls += 1
        try transition(&job, to: .inCall, now: now, in: db)
        return tag.jobRowId
    }

    static func checkApplication(_ app: String?, placedBy owner: String?) throws {
        if let app, let owner, owner != app { throw CallbackApplicationMismatch(signedBy: app, placedBy: owner) }
    }

    static func checkedApplication(_ app: String?, of job: JobRecord) throws -> Bool {
        try checkApplication(app, placedBy: job.app)
        return true
    }

    /// Applies the stored, not yet applied status events (and a fee CDR) of
    /// call `sessionId` to job `jobRowId`, in arrival order, inside the
    /// caller's transaction.
    ///
    /// The dispatcher calls this in the transaction that stores an accepted
    /// call's sessionId, because `collectInfo` (even `disconnect`) can arrive
    /// before the HTTP response; the receiver calls it for every event whose
    /// owner is known. `collectInfo` appends its `digitInfo` to the job's
    /// digits; `disconnect` ends the call (``endCall(jobRowId:sessionId:ending:now:in:)``),
    /// or, without a stateCode, frees its port and leaves the outcome to the CDR
    /// (``awaitFeeRecord(jobRowId:sessionId:stateDesc:now:in:)``);
    /// a pending CDR fills digits from `dynIVRPath` when no `collectInfo` gave
    /// any for this call, and ends the call if no disconnect did. Returns the
    /// port-release signals to send after commit.
    static func applyPendingEvents(sessionId: String, jobRowId: Int64, now: Date, in db: Database) throws -> [CallEndSignal] {
        var signals: [CallEndSignal] = []
        // Only events signed by the job's own application (or unchecked ones).
        let events = try PendingCallEvent.fetchAll(
            db.cachedStatement(sql: """
                SELECT id, eventType, digitInfo, stateCode, stateDesc FROM callEvent WHERE sessionId = ?1 AND applied = 0
                AND (app IS NULL OR app = (SELECT app FROM job WHERE id = ?2) OR (SELECT app FROM job WHERE id = ?2) IS NULL)
                ORDER BY id
                """), arguments: [sessionId, jobRowId])
        for event in events {
            try db.cachedStatement(sql: "UPDATE callEvent SET jobRowId = ?, applied = 1 WHERE id = ?").execute(arguments: [jobRowId, event.id])
            switch event.eventType {
            case CallbackEventType.collectInfo.rawValue:
                if let digits = event.digitInfo, !digits.isEmpty {
                    try appendDigits([digits], toJob: jobRowId, now: now, in: db)
                }
            case CallbackEventType.disconnect.rawValue:
                let signal: CallEndSignal?
                if let ending = CallEnding.disconnect(stateCode: event.stateCode, stateDesc: event.stateDesc) {
                    signal = try endCall(jobRowId: jobRowId, sessionId: sessionId, ending: ending, now: now, in: db)
                } else {
                    signal = try awaitFeeRecord(jobRowId: jobRowId, sessionId: sessionId, stateDesc: event.stateDesc, now: now, in: db)
                }
                if let signal { signals.append(signal) }
            default:
                break
            }
        }
        if let signal = try applyPendingFeeRecord(sessionId: sessionId, jobRowId: jobRowId, now: now, in: db) {
            signals.append(signal)
        }
        return signals
    }

    /// Applies the stored CDR of `sessionId` if it is not applied yet.
    static func applyPendingFeeRecord(sessionId: String, jobRowId: Int64, now: Date, in db: Database) throws -> CallEndSignal? {
        guard let cdr = try CDRRecord.fetchOne(db.cachedStatement(sql: """
                SELECT * FROM cdr WHERE sessionId = ?1
                AND (app IS NULL OR app = (SELECT app FROM job WHERE id = ?2) OR (SELECT app FROM job WHERE id = ?2) IS NULL)
                """), arguments: [sessionId, jobRowId]), !cdr.applied,
            let record = try? JSONDecoder().decode(FeeRecord.self, from: Data(cdr.body.utf8))
        else { return nil }
        try db.cachedStatement(sql: "UPDATE cdr SET jobRowId = ?, applied = 1 WHERE sessionId = ?").execute(arguments: [jobRowId, sessionId])
        let collected = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM callEvent WHERE sessionId = ? AND eventType = 'collectInfo'
                AND digitInfo IS NOT NULL AND digitInfo != '')
            """), arguments: [sessionId]) ?? false
        let fallback = record.dynIVRDigits
        if !collected, !fallback.isEmpty {
            try appendDigits(fallback, toJob: jobRowId, now: now, in: db)
        }
        return try endCall(jobRowId: jobRowId, sessionId: sessionId, ending: .feeRecord(record), now: now, in: db)
    }

    /// Appends collected digits to a job, in order. A job already terminal has
    /// its results file queued again so the file shows them too: by the
    /// schema's `job_terminal_digits` trigger, in this transaction
    /// (``migrateResultsOutboxOneProducer(_:)``), not here.
    static func appendDigits(_ digits: [String], toJob jobRowId: Int64, now: Date, in db: Database) throws {
        guard var job = try fetchJob(jobRowId, in: db) else { return }
        job.digits += digits
        job.updatedAt = now
        try job.update(db)
    }
}

extension AppDatabase {
    /// `stored` (a job's `digits`, a JSON array of strings) with `digits`
    /// appended, byte for byte what `JSONEncoder` writes for the whole list,
    /// without decoding and encoding it again (every `collectInfo` does
    /// this). Nil when that cannot be done as text: a digit string that
    /// `JSONEncoder` would escape (quotes, backslashes, slashes, control
    /// characters) or that is not ASCII, or a stored text not in that form.
    static func appendingDigits(_ digits: [String], toStored stored: String) -> String? {
        let plain = digits.allSatisfy { digit in
            digit.utf8.allSatisfy { byte in byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "/") }
        }
        guard plain else { return nil }
        let items = digits.map { "\"\($0)\"" }.joined(separator: ",")
        if stored == "[]" { return "[" + items + "]" }
        guard !digits.isEmpty else { return stored }
        guard stored.hasPrefix("[\""), stored.hasSuffix("\"]") else { return nil }
        return stored.dropLast() + "," + items + "]"
    }
}

/// The columns of a not yet applied `callEvent` row that applying it needs,
/// decoded by position (the receiver's hot path: no record decoding).
struct PendingCallEvent: FetchableRecord {
    var id: Int64
    var eventType: String
    var digitInfo: String?
    var stateCode: Int?
    var stateDesc: String?

    init(row: Row) {
        id = row[0]
        eventType = row[1]
        digitInfo = row[2]
        stateCode = row[3]
        stateDesc = row[4]
    }
}
