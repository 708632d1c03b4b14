import CallSpoolCore
import Foundation
import PostgresNIO

/// The answers kept for API requests with an `Idempotency-Key`, SQL only.
extension PostgresTransaction {
    public func keptAnswer(client: String, key: String, now: Date) throws -> KeptAnswer? {
        guard
            let row = try session.rows(
                "SELECT * FROM apiIdempotency WHERE client = $1 AND key = $2 AND expiresAt > $3", [client, key, now]
            ).first
        else { return nil }
        return KeptAnswer(
            client: try row.value("client", as: String.self), key: try row.value("key", as: String.self),
            requestDigest: try row.value("requestdigest", as: String.self), status: try row.value("status", as: Int.self),
            body: try row.value("body", as: String.self), createdAt: try row.date("createdat"), expiresAt: try row.date("expiresat"))
    }

    /// A concurrent insert of the same key waits for the other transaction,
    /// then updates nothing (its answer is live): false.
    public func keepAnswer(_ answer: KeptAnswer) throws -> Bool {
        try session.changes(
            """
            INSERT INTO apiIdempotency (client, key, requestDigest, status, body, createdAt, expiresAt) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (client, key) DO UPDATE SET
                requestDigest = excluded.requestDigest, status = excluded.status, body = excluded.body,
                createdAt = excluded.createdAt, expiresAt = excluded.expiresAt
            WHERE apiIdempotency.expiresAt <= excluded.createdAt
            """, [answer.client, answer.key, answer.requestDigest, answer.status, answer.body, answer.createdAt, answer.expiresAt]) > 0
    }

    public func deleteExpiredAnswers(now: Date, limit: Int) throws -> Int {
        try session.changes(
            """
            DELETE FROM apiIdempotency WHERE (client, key) IN
                (SELECT client, key FROM apiIdempotency WHERE expiresAt <= $1 ORDER BY expiresAt LIMIT $2)
            """, [now, limit])
    }
}
