import CallSpoolCore
import Foundation
import GRDB

/// The answers kept for API requests with an `Idempotency-Key`, SQL only.
extension SQLiteTransaction {
    public func keptAnswer(client: String, key: String, now: Date) throws -> KeptAnswer? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM apiIdempotency WHERE client = ? AND key = ? AND expiresAt > ?"),
                arguments: [client, key, now.timeIntervalSince1970])
        else { return nil }
        return KeptAnswer(
            client: row["client"], key: row["key"], requestDigest: row["requestDigest"], status: row["status"], body: row["body"],
            createdAt: Date(timeIntervalSince1970: row["createdAt"]), expiresAt: Date(timeIntervalSince1970: row["expiresAt"]))
    }

    public func keepAnswer(_ answer: KeptAnswer) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT INTO apiIdempotency (client, key, requestDigest, status, body, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (client, key) DO UPDATE SET
                requestDigest = excluded.requestDigest, status = excluded.status, body = excluded.body,
                createdAt = excluded.createdAt, expiresAt = excluded.expiresAt
            WHERE apiIdempotency.expiresAt <= excluded.createdAt
            """
        ).execute(arguments: [
            answer.client, answer.key, answer.requestDigest, answer.status, answer.body, answer.createdAt.timeIntervalSince1970,
            answer.expiresAt.timeIntervalSince1970,
        ])
        return db.changesCount > 0
    }

    public func deleteExpiredAnswers(now: Date, limit: Int) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM apiIdempotency WHERE rowid IN
                    (SELECT rowid FROM apiIdempotency WHERE expiresAt <= ? ORDER BY expiresAt LIMIT ?)
                """, arguments: [now.timeIntervalSince1970, limit])
        return db.changesCount
    }
}
