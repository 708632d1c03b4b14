import CallSpoolCore
import Foundation
import PostgresNIO

/// The results outbox's and the webhook deliveries' rows, SQL only.
extension PostgresTransaction {
    public func clearResultRows(_ done: [ClearedResult]) throws {
        guard !done.isEmpty else { return }
        try session.execute(
            """
            DELETE FROM resultOutbox o USING unnest($1::bigint[], $2::bigint[]) AS d(jobRowId, version)
            WHERE o.jobRowId = d.jobRowId AND o.version = d.version
            """, [PostgresInt64Array(done.map(\.jobRowId)), PostgresInt64Array(done.map(\.version))])
    }

    /// One statement for the batch; the rows it inserted are counted.
    public func insertWebhookDeliveries(_ deliveries: [WebhookDelivery]) throws -> Int {
        guard !deliveries.isEmpty else { return 0 }
        var inserted = 0
        var start = deliveries.startIndex
        // At most 15 parameters a row: 2,000 rows stay far below PostgreSQL's 65,535.
        while start < deliveries.endIndex {
            let end = min(start + 2_000, deliveries.endIndex)
            var arguments = PostgresArguments()
            var tuples: [String] = []
            for d in deliveries[start..<end] {
                let values: [any PostgresBindable] = [
                    d.webhook, d.subject, d.eventId, d.event, d.jobId, d.body, d.state.rawValue, d.attempts, d.createdAt, d.nextAttemptAt, d.giveUpAt,
                    d.lastStatus, d.lastError, d.finishedAt, d.claimedBy,
                ]
                tuples.append("(" + values.map { arguments.parameter($0) }.joined(separator: ", ") + ")")
            }
            inserted += try session.rows(
                """
                INSERT INTO webhookDelivery (webhook, subject, eventId, event, jobId, body, state, attempts, createdAt, nextAttemptAt, giveUpAt,
                    lastStatus, lastError, finishedAt, claimedBy)
                VALUES \(tuples.joined(separator: ", ")) ON CONFLICT (webhook, subject) DO NOTHING RETURNING id
                """, arguments
            ).count
            start = end
        }
        return inserted
    }

    /// `SKIP LOCKED`: two instances' senders take different rows.
    public func dueWebhookDeliveries(webhooks: [String], now: Date, limit: Int) throws -> [WebhookDelivery] {
        guard !webhooks.isEmpty else { return [] }
        return try session.records(
            WebhookDelivery.self,
            """
            SELECT * FROM webhookDelivery WHERE state = 'pending' AND nextAttemptAt <= $1 AND webhook = ANY($2::text[])
            ORDER BY nextAttemptAt, id LIMIT $3 FOR UPDATE SKIP LOCKED
            """, [now, PostgresTextArray(webhooks), limit])
    }

    public func webhookDeliveries(ids: [Int64]) throws -> [WebhookDelivery] {
        guard !ids.isEmpty else { return [] }
        return try session.records(
            WebhookDelivery.self, "SELECT * FROM webhookDelivery WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE", [PostgresInt64Array(ids)])
    }

    public func webhookDeliveries(_ replay: WebhookReplay, afterID: Int64, limit: Int) throws -> [WebhookDelivery] {
        var arguments = PostgresArguments()
        var clauses = ["id > \(arguments.parameter(afterID))"]
        if let jobId = replay.jobId {
            clauses.append("jobId = \(arguments.parameter(jobId))")
        } else {
            clauses.append("state = 'gave_up'")
        }
        if let webhook = replay.webhook { clauses.append("webhook = \(arguments.parameter(webhook))") }
        if let since = replay.since { clauses.append("createdAt >= \(arguments.parameter(since))") }
        return try session.records(
            WebhookDelivery.self,
            "SELECT * FROM webhookDelivery WHERE \(clauses.joined(separator: " AND ")) ORDER BY id LIMIT \(arguments.parameter(limit)) FOR UPDATE",
            arguments)
    }

    public func webhookDeliveries(claimedBy owner: String) throws -> [WebhookDelivery] {
        try session.records(
            WebhookDelivery.self, "SELECT * FROM webhookDelivery WHERE state = 'pending' AND claimedBy = $1 ORDER BY id FOR UPDATE", [owner])
    }

    /// The columns a delivery's life changes (its event and body never
    /// do), for a batch in one statement: a claim or a batch of outcomes
    /// is one round trip, not one per event.
    public func writeWebhookDeliveries(_ deliveries: [WebhookDelivery]) throws {
        var start = deliveries.startIndex
        while start < deliveries.endIndex {
            let end = min(start + 1_000, deliveries.endIndex)
            var arguments = PostgresArguments()
            var tuples: [String] = []
            for d in deliveries[start..<end] {
                guard let id = d.id else { continue }
                let values: [any PostgresBindable] = [
                    id, d.state.rawValue, d.attempts, d.nextAttemptAt, d.giveUpAt, d.lastStatus, d.lastError, d.finishedAt, d.claimedBy,
                ]
                let casts = ["bigint", "text", "integer", "double precision", "double precision", "integer", "text", "double precision", "text"]
                tuples.append("(" + zip(values, casts).map { "\(arguments.parameter($0))::\($1)" }.joined(separator: ", ") + ")")
            }
            start = end
            guard !tuples.isEmpty else { continue }
            try session.execute(
                """
                UPDATE webhookDelivery w SET state = d.state, attempts = d.attempts, nextAttemptAt = d.nextAttemptAt, giveUpAt = d.giveUpAt,
                    lastStatus = d.lastStatus, lastError = d.lastError, finishedAt = d.finishedAt, claimedBy = d.claimedBy
                FROM (VALUES \(tuples.joined(separator: ", "))) AS d(id, state, attempts, nextAttemptAt, giveUpAt, lastStatus, lastError, finishedAt, claimedBy)
                WHERE w.id = d.id
                """, arguments)
        }
    }

    public func webhookFigures() throws -> [WebhookFigures] {
        WebhookFigures.tally(
            try session.rows("SELECT webhook, state, COUNT(*) AS n, MIN(createdAt) AS oldest FROM webhookDelivery GROUP BY webhook, state").map {
                WebhookFigures.StateCount(
                    webhook: try $0.value("webhook", as: String.self), state: try $0.value("state", as: String.self),
                    count: Int(try $0.value("n", as: Int64.self)), oldest: try $0.optionalDate("oldest"))
            })
    }

    public func deleteDeliveredWebhooks(finishedBefore before: Date, limit: Int) throws -> Int {
        try session.rows(
            """
            DELETE FROM webhookDelivery WHERE id IN (
                SELECT id FROM webhookDelivery WHERE state = 'delivered' AND finishedAt < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING id
            """, [before, limit]
        ).count
    }
}
