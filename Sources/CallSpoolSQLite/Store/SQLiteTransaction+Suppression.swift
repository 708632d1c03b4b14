import CallSpoolCore
import Foundation
import GRDB

/// The suppression list's rows and the guard's counts, SQL only.
extension SQLiteTransaction {
    public func verifyCalls(toCallee callee: String, since: Date) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: """
                SELECT COUNT(*) FROM attempt JOIN job ON job.id = attempt.jobRowId
                WHERE attempt.calleeNbr = ? AND attempt.at > ? AND (attempt.sessionId IS NOT NULL OR attempt.httpStatus IS NULL)
                  AND job.type = 'verify'
                """), arguments: [callee, since.timeIntervalSince1970]) ?? 0
    }

    public func verifyCalls(toPrefix prefix: String, since: Date) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: """
                SELECT COUNT(*) FROM attempt INDEXED BY attempt_time JOIN job ON job.id = attempt.jobRowId
                WHERE attempt.at > ? AND substr(attempt.calleeNbr, 1, ?) = ? AND (attempt.sessionId IS NOT NULL OR attempt.httpStatus IS NULL)
                  AND job.type = 'verify'
                """), arguments: [since.timeIntervalSince1970, prefix.utf8.count, prefix]) ?? 0
    }

    public func calls(ofApplication app: String, since: Date) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: """
                SELECT COUNT(*) FROM attempt INDEXED BY attempt_time JOIN job ON job.id = attempt.jobRowId
                WHERE attempt.at > ? AND job.app = ? AND (attempt.sessionId IS NOT NULL OR attempt.httpStatus IS NULL)
                """), arguments: [since.timeIntervalSince1970, app]) ?? 0
    }

    public func insertSuppressions(_ entries: [SuppressionRecord]) throws -> [SuppressionRecord] {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO suppression (number, scope, reason, source, jobId, campaign, createdAt, createdBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (number, scope) DO NOTHING
            """)
        var inserted: [SuppressionRecord] = []
        for entry in entries {
            try insert.execute(arguments: [
                entry.number, entry.scope, entry.reason, entry.source.rawValue, entry.jobId, entry.campaign, entry.createdAt.timeIntervalSince1970,
                entry.createdBy,
            ])
            if db.changesCount > 0 { inserted.append(entry) }
        }
        return inserted
    }

    public func deleteSuppressions(_ keys: [SuppressionKey]) throws -> [SuppressionRecord] {
        let delete = try db.cachedStatement(sql: "DELETE FROM suppression WHERE number = ? AND scope = ? RETURNING *")
        return try keys.flatMap { try SuppressionRecord.fetchAll(delete, arguments: [$0.number, $0.scope]) }
    }

    public func suppressions(of numbers: [String]) throws -> [SuppressionRecord] {
        let select = try db.cachedStatement(sql: "SELECT * FROM suppression WHERE number = ? ORDER BY scope")
        return try numbers.flatMap { try SuppressionRecord.fetchAll(select, arguments: [$0]) }
    }

    public func suppressionPage(after: SuppressionKey?, limit: Int) throws -> [SuppressionRecord] {
        guard let after else {
            return try SuppressionRecord.fetchAll(db, sql: "SELECT * FROM suppression ORDER BY number, scope LIMIT ?", arguments: [limit])
        }
        return try SuppressionRecord.fetchAll(
            db, sql: "SELECT * FROM suppression WHERE (number, scope) > (?, ?) ORDER BY number, scope LIMIT ?",
            arguments: [after.number, after.scope, limit])
    }

    public func suppressionCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM suppression") ?? 0
    }

    public func appendSuppressionAudit(_ entries: [SuppressionAuditRecord]) throws {
        for var entry in entries { try entry.insert(db) }
    }

    public func suppressionAudit(number: String, limit: Int) throws -> [SuppressionAuditRecord] {
        try SuppressionAuditRecord.fetchAll(
            db, sql: "SELECT * FROM suppressionAudit WHERE number = ? ORDER BY id DESC LIMIT ?", arguments: [number, limit])
    }
}
