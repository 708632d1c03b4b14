import CallSpoolCore
import Foundation
import PostgresNIO

/// The suppression list's rows and the guard's counts, SQL only.
extension PostgresTransaction {
    public func verifyCalls(toCallee callee: String, since: Date) throws -> Int {
        Int(try session.scalar(Int64.self, """
            SELECT COUNT(*) FROM attempt JOIN job ON job.id = attempt.jobRowId
            WHERE attempt.calleeNbr = $1 AND attempt.at > $2 AND (attempt.sessionId IS NOT NULL OR attempt.httpStatus IS NULL)
              AND job.type = 'verify'
            """, [callee, since]) ?? 0)
    }

    /// `left(…) = prefix`, not a range: the column's collation need not be byte order.
    public func verifyCalls(toPrefix prefix: String, since: Date) throws -> Int {
        Int(try session.scalar(Int64.self, """
            SELECT COUNT(*) FROM attempt JOIN job ON job.id = attempt.jobRowId
            WHERE attempt.at > $1 AND left(attempt.calleeNbr, length($2)) = $2
              AND (attempt.sessionId IS NOT NULL OR attempt.httpStatus IS NULL) AND job.type = 'verify'
            """, [since, prefix]) ?? 0)
    }

    public func calls(ofApplication app: String, since: Date) throws -> Int {
        Int(try session.scalar(Int64.self, """
            SELECT COUNT(*) FROM attempt JOIN job ON job.id = attempt.jobRowId
            WHERE attempt.at > $1 AND job.app = $2 AND (attempt.sessionId IS NOT NULL OR attempt.httpStatus IS NULL)
            """, [since, app]) ?? 0)
    }

    /// One statement for the batch; the rows it inserted come back.
    public func insertSuppressions(_ entries: [SuppressionRecord]) throws -> [SuppressionRecord] {
        guard !entries.isEmpty else { return [] }
        var arguments = PostgresArguments()
        var tuples: [String] = []
        for entry in entries {
            let values: [any PostgresBindable] = [
                entry.number, entry.scope, entry.reason, entry.source.rawValue, entry.jobId, entry.campaign, entry.createdAt, entry.createdBy,
            ]
            tuples.append("(" + values.map { arguments.parameter($0) }.joined(separator: ", ") + ")")
        }
        let inserted = Set(
            try session.rows(
                """
                INSERT INTO suppression (number, scope, reason, source, jobId, campaign, createdAt, createdBy)
                VALUES \(tuples.joined(separator: ", ")) ON CONFLICT (number, scope) DO NOTHING RETURNING number, scope
                """, arguments
            ).map { SuppressionKey(number: try $0.value("number", as: String.self), scope: try $0.value("scope", as: String.self)) })
        var seen = Set<SuppressionKey>()
        return entries.filter { inserted.contains($0.key) && seen.insert($0.key).inserted }
    }

    public func deleteSuppressions(_ keys: [SuppressionKey]) throws -> [SuppressionRecord] {
        guard !keys.isEmpty else { return [] }
        return try session.rows(
            """
            DELETE FROM suppression s USING unnest($1::text[], $2::text[]) AS k(number, scope)
            WHERE s.number = k.number AND s.scope = k.scope RETURNING s.*
            """, [PostgresTextArray(keys.map(\.number)), PostgresTextArray(keys.map(\.scope))]
        ).map(Self.suppression)
    }

    public func suppressions(of numbers: [String]) throws -> [SuppressionRecord] {
        guard !numbers.isEmpty else { return [] }
        return try session.rows("SELECT * FROM suppression WHERE number = ANY($1::text[]) ORDER BY number, scope", [PostgresTextArray(numbers)])
            .map(Self.suppression)
    }

    public func suppressionPage(after: SuppressionKey?, limit: Int) throws -> [SuppressionRecord] {
        guard let after else {
            return try session.rows("SELECT * FROM suppression ORDER BY number, scope LIMIT $1", [limit]).map(Self.suppression)
        }
        return try session.rows(
            "SELECT * FROM suppression WHERE (number, scope) > ($1, $2) ORDER BY number, scope LIMIT $3", [after.number, after.scope, limit]
        ).map(Self.suppression)
    }

    public func suppressionCount() throws -> Int {
        Int(try session.scalar(Int64.self, "SELECT COUNT(*) FROM suppression") ?? 0)
    }

    public func appendSuppressionAudit(_ entries: [SuppressionAuditRecord]) throws {
        guard !entries.isEmpty else { return }
        var arguments = PostgresArguments()
        var tuples: [String] = []
        for entry in entries {
            let values: [any PostgresBindable] = [
                entry.action.rawValue, entry.number, entry.scope, entry.reason, entry.source.rawValue, entry.actor, entry.jobId, entry.campaign, entry.at,
            ]
            tuples.append("(" + values.map { arguments.parameter($0) }.joined(separator: ", ") + ")")
        }
        try session.execute(
            """
            INSERT INTO suppressionAudit (action, number, scope, reason, source, actor, jobId, campaign, at)
            VALUES \(tuples.joined(separator: ", "))
            """, arguments)
    }

    public func suppressionAudit(number: String, limit: Int) throws -> [SuppressionAuditRecord] {
        try session.rows("SELECT * FROM suppressionAudit WHERE number = $1 ORDER BY id DESC LIMIT $2", [number, limit]).map { row in
            SuppressionAuditRecord(
                id: try row.value("id", as: Int64.self),
                action: SuppressionAuditRecord.Action(rawValue: try row.value("action", as: String.self)) ?? .add,
                number: try row.value("number", as: String.self), scope: try row.value("scope", as: String.self),
                reason: try row.value("reason", as: String.self),
                source: SuppressionSource(rawValue: try row.value("source", as: String.self)) ?? .operator,
                actor: try row.value("actor", as: String.self), jobId: try row.optional("jobid", as: String.self),
                campaign: try row.optional("campaign", as: String.self), at: try row.date("at"))
        }
    }

    static func suppression(_ row: PostgresRandomAccessRow) throws -> SuppressionRecord {
        SuppressionRecord(
            number: try row.value("number", as: String.self), scope: try row.value("scope", as: String.self),
            reason: try row.value("reason", as: String.self),
            source: SuppressionSource(rawValue: try row.value("source", as: String.self)) ?? .operator,
            jobId: try row.optional("jobid", as: String.self), campaign: try row.optional("campaign", as: String.self),
            createdAt: try row.date("createdat"), createdBy: try row.value("createdby", as: String.self))
    }
}
