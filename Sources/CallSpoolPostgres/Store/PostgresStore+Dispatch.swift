import CallSpoolCore
import Foundation
import Logging
import PostgresNIO
import VoiceCallAPI

extension PostgresStore {
    public func portHoldingJobRowIds(app: String) throws -> Set<Int64> {
        try read { session in try session.portHoldingJobRowIds(app: app) }
    }

    public func verifyArrivals(app: String, since date: Date, limit: Int) throws -> [(Int64, Date)] {
        try read { session in
            try session.rows(
                "SELECT id, createdAt FROM job WHERE classRank = 0 AND app = $1 AND createdAt > $2 ORDER BY createdAt DESC LIMIT $3",
                [app, date, limit]
            ).map { (try $0.value("id", as: Int64.self), try $0.date("createdat")) }
        }
    }
}

extension PostgresSession {
    func portHoldingJobRowIds(app: String) throws -> Set<Int64> {
        Set(
            try column(
                Int64.self,
                """
                SELECT id FROM job WHERE state = 'in_call' AND app = $1
                AND NOT EXISTS (SELECT 1 FROM callEvent WHERE callEvent.sessionId = job.sessionId
                    AND callEvent.eventType = 'disconnect' AND callEvent.applied)
                """, [app]))
    }

    func activePauses(now: Date) throws -> [PauseScope: PauseRecord] {
        var result: [PauseScope: PauseRecord] = [:]
        for record in try records(PauseRecord.self, "SELECT * FROM pause WHERE until IS NULL OR until > $1", [now]) {
            if let scope = PauseScope(record.scope) { result[scope] = record }
        }
        return result
    }

    func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try execute(
            """
            INSERT INTO pause (scope, reason, code, until, createdAt) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (scope) DO UPDATE SET reason = excluded.reason, code = excluded.code, until = excluded.until, createdAt = excluded.createdAt
            """, [scope.description, reason, code, until, now])
    }

    func clearPause(_ scope: PauseScope) throws {
        try execute("DELETE FROM pause WHERE scope = $1", [scope.description])
    }

    func setHalt(_ record: HaltRecord) throws {
        try execute(
            """
            INSERT INTO appHalt (app, code, reason, since, probeAt) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (app) DO UPDATE SET code = excluded.code, reason = excluded.reason, since = excluded.since, probeAt = excluded.probeAt
            """, [record.app, record.code, record.reason, record.since, record.probeAt])
    }
}

/// The jobs of a batch of answers as ``PostgresTransaction/willRecordAnswers(_:)``
/// read them (locked for the transaction), each taken once by its answer.
final class AnsweredJobs: @unchecked Sendable {
    private var jobs: [Int64: (job: JobRecord, callbacksWaiting: Bool)] = [:]

    func keep(_ job: JobRecord, callbacksWaiting: Bool) {
        if let rowID = job.rowId { jobs[rowID] = (job, callbacksWaiting) }
    }

    func take(_ rowID: Int64) -> (job: JobRecord, callbacksWaiting: Bool)? { jobs.removeValue(forKey: rowID) }
}

/// A callee's calls inside the per-callee window, as a pass counts them.
struct CalleeCalls {
    var count: Int
    var oldest: Date?
}

/// The per-callee call counts of one scheduling pass.
///
/// Exists to read them for a whole page in one statement: the pass asks
/// for each job's callee in turn, and a round trip per job was a third of a
/// pass on PostgreSQL. Counts read for one `since` hold for the pass (the
/// window start is the same for every job of it); a call the pass places is
/// added here as its attempt row is written (``PostgresTransaction``). Anything else that writes
/// attempts (an answer) forgets them.
final class CalleeCallCounts: @unchecked Sendable {
    private var since: Date?
    private var known: [String: CalleeCalls] = [:]
    private var expected: [String] = []

    /// The callees of the page just read: the next read covers them too.
    func expect(_ callees: [String]) { expected += callees }

    func calls(to callee: String, since: Date) -> (count: Int, oldest: Date?)? {
        guard self.since == since, let calls = known[callee] else { return nil }
        return (calls.count, calls.oldest)
    }

    /// The callees to read with `callee`: every expected one not known for `since`.
    func unread(since: Date, adding callee: String) -> [String] {
        if self.since != since { known = [:] }
        return Array(Set(expected + [callee]).filter { known[$0] == nil }).sorted()
    }

    func store(_ callees: [String], found: [String: CalleeCalls], since: Date) {
        self.since = since
        for callee in callees { known[callee] = found[callee] ?? CalleeCalls(count: 0, oldest: nil) }
        expected.removeAll()
    }

    func placed(to callee: String, at date: Date) {
        guard var calls = known[callee] else { return }
        calls.count += 1
        calls.oldest = min(calls.oldest ?? date, date)
        known[callee] = calls
    }

    func forget() {
        since = nil
        known = [:]
    }
}
