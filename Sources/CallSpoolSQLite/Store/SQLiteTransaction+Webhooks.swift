import CallSpoolCore
import Foundation
import GRDB

/// The results outbox's and the webhook deliveries' rows, SQL only.
extension SQLiteTransaction {
    public func clearResultRows(_ done: [ClearedResult]) throws {
        let statement = try db.cachedStatement(sql: "DELETE FROM resultOutbox WHERE jobRowId = ? AND version = ?")
        for item in done { try statement.execute(arguments: [item.jobRowId, item.version]) }
    }

    public func insertWebhookDeliveries(_ deliveries: [WebhookDelivery]) throws -> Int {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO webhookDelivery (webhook, subject, eventId, event, jobId, body, state, attempts, createdAt, nextAttemptAt, giveUpAt,
                lastStatus, lastError, finishedAt, claimedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (webhook, subject) DO NOTHING
            """)
        var inserted = 0
        for d in deliveries {
            try insert.execute(arguments: [
                d.webhook, d.subject, d.eventId, d.event, d.jobId, d.body, d.state.rawValue, d.attempts, d.createdAt.timeIntervalSince1970,
                d.nextAttemptAt.timeIntervalSince1970, d.giveUpAt.timeIntervalSince1970, d.lastStatus, d.lastError,
                d.finishedAt?.timeIntervalSince1970, d.claimedBy,
            ])
            inserted += db.changesCount
        }
        return inserted
    }

    public func dueWebhookDeliveries(webhooks: [String], now: Date, limit: Int) throws -> [WebhookDelivery] {
        guard !webhooks.isEmpty else { return [] }
        return try WebhookDelivery.fetchAll(
            db,
            sql: """
                SELECT * FROM webhookDelivery INDEXED BY webhookDelivery_due
                WHERE state = 'pending' AND nextAttemptAt <= ? AND webhook IN (\(webhooks.map { _ in "?" }.joined(separator: ", ")))
                ORDER BY nextAttemptAt, id LIMIT ?
                """, arguments: StatementArguments([now.timeIntervalSince1970]) + StatementArguments(webhooks) + [limit])
    }

    public func webhookDeliveries(ids: [Int64]) throws -> [WebhookDelivery] {
        let select = try db.cachedStatement(sql: "SELECT * FROM webhookDelivery WHERE id = ?")
        return try ids.compactMap { try WebhookDelivery.fetchOne(select, arguments: [$0]) }
    }

    public func webhookDeliveries(_ replay: WebhookReplay, afterID: Int64, limit: Int) throws -> [WebhookDelivery] {
        var clauses = ["id > ?"]
        var arguments: StatementArguments = [afterID]
        if let jobId = replay.jobId {
            clauses.append("jobId = ?")
            arguments += [jobId]
        } else {
            clauses.append("state = 'gave_up'")
        }
        if let webhook = replay.webhook {
            clauses.append("webhook = ?")
            arguments += [webhook]
        }
        if let since = replay.since {
            clauses.append("createdAt >= ?")
            arguments += [since.timeIntervalSince1970]
        }
        return try WebhookDelivery.fetchAll(
            db, sql: "SELECT * FROM webhookDelivery WHERE \(clauses.joined(separator: " AND ")) ORDER BY id LIMIT ?", arguments: arguments + [limit])
    }

    public func webhookDeliveries(claimedBy owner: String) throws -> [WebhookDelivery] {
        try WebhookDelivery.fetchAll(db, sql: "SELECT * FROM webhookDelivery WHERE state = 'pending' AND claimedBy = ? ORDER BY id", arguments: [owner])
    }

    public func writeWebhookDeliveries(_ deliveries: [WebhookDelivery]) throws {
        for delivery in deliveries { try delivery.update(db) }
    }

    public func webhookFigures() throws -> [WebhookFigures] {
        WebhookFigures.tally(
            try Row.fetchAll(db, sql: "SELECT webhook, state, COUNT(*) AS n, MIN(createdAt) AS oldest FROM webhookDelivery GROUP BY webhook, state").map {
                WebhookFigures.StateCount(
                    webhook: $0["webhook"], state: $0["state"], count: $0["n"], oldest: ($0["oldest"] as Double?).map(Date.init(timeIntervalSince1970:)))
            })
    }

    public func deleteDeliveredWebhooks(finishedBefore before: Date, limit: Int) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM webhookDelivery WHERE id IN (
                    SELECT id FROM webhookDelivery WHERE state = 'delivered' AND finishedAt < ? LIMIT ?)
                """, arguments: [before.timeIntervalSince1970, limit])
        return db.changesCount
    }
}
