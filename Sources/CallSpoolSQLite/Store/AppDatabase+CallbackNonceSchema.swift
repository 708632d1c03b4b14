import CallSpoolCore
import GRDB

extension AppDatabase {
    /// v3: `callbackNonce`, the nonces of accepted callback pushes.
    ///
    /// A nonce stays until `expiresAt` (epoch seconds), when no clock reading
    /// would accept its `Created` any more; until then a push reusing it is a
    /// replay, across restarts too. Keyed by the nonce itself (no rowid: one
    /// B-tree), with an index on the expiry so pruning is a range delete.
    static func migrateCallbackNonces(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE callbackNonce (
                nonce TEXT PRIMARY KEY NOT NULL,
                expiresAt INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX callbackNonce_expiry ON callbackNonce(expiresAt);
            """)
    }
}
