import CallSpoolCore
import Foundation
import GRDB

/// The rows behind `callspool report`: every attempt of a campaign with the
/// time its call ended, and the latest errors.
extension AppDatabase {
    public func reportAttempts(campaign: String) throws -> [ReportAttempt] {
        try reader.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.at, a.n, a.resultClass, a.resultcode, a.sessionId, j.attempts AS lastN, j.finishedAt,
                       (SELECT MIN(e.receivedAt) FROM callEvent e WHERE e.sessionId = a.sessionId AND e.eventType = 'disconnect') AS disconnectAt
                FROM attempt a JOIN job j ON j.id = a.jobRowId
                WHERE j.campaign = ? ORDER BY a.at
                """, arguments: [campaign])
            return rows.map { row in
                let sessionId: String? = row["sessionId"]
                let n: Int = row["n"]
                let lastN: Int = row["lastN"]
                let disconnect: Double? = row["disconnectAt"]
                let finished: Double? = row["finishedAt"]
                let end = disconnect ?? (n == lastN ? finished : nil)
                return ReportAttempt(
                    at: Date(timeIntervalSince1970: row["at"]), n: n, resultClass: row["resultClass"], resultcode: row["resultcode"],
                    accepted: sessionId != nil, endedAt: end.map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    /// The latest `limit` errors of a campaign, newest first: attempts the
    /// platform refused (or whose fate is unknown) and jobs that ended with an error.
    public func reportErrors(campaign: String, limit: Int) throws -> [ReportError] {
        try reader.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT at, jobId, calleeNbr, code, description FROM (
                  SELECT a.at AS at, j.jobId AS jobId, a.calleeNbr AS calleeNbr,
                         COALESCE(a.resultcode, CASE WHEN a.httpStatus IS NOT NULL THEN 'http_' || a.httpStatus ELSE a.resultClass END) AS code,
                         COALESCE(a.resultDesc, a.resultClass, '') AS description
                  FROM attempt a JOIN job j ON j.id = a.jobRowId
                  WHERE j.campaign = ? AND a.resultClass IS NOT NULL AND a.resultClass != 'ok'
                  UNION ALL
                  SELECT COALESCE(finishedAt, updatedAt), jobId, calleeNbr, errorCode, COALESCE(errorDesc, '')
                  FROM job WHERE campaign = ? AND errorCode IS NOT NULL
                ) ORDER BY at DESC LIMIT ?
                """, arguments: [campaign, campaign, limit])
            return rows.map { row in
                ReportError(
                    at: Date(timeIntervalSince1970: row["at"]), jobId: row["jobId"], calleeNbr: row["calleeNbr"],
                    code: row["code"] ?? "?", description: row["description"] ?? "")
            }
        }
    }
}
