import CallSpoolCore
import GRDB
import VoiceCallAPI

extension AppDatabase {
    /// Whether `nonce` is remembered and not expired at `now` (epoch seconds).
    ///
    /// A read, off the writer: the receiver asks before reading a body so a
    /// replay costs no body and no write, for nonces it did not commit
    /// itself, while the store may hold live ones from before it started
    /// (``latestCallbackNonceExpiry()``; its own are in ``ClaimedNonces``). The claim in the push's own
    /// transaction (``StoreTransaction/record(_:)``) stays the authority, so
    /// two copies racing past this check still store once.
    public func isCallbackNonceLive(_ nonce: String, now: Int64) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM callbackNonce WHERE nonce = ? AND expiresAt >= ?)"),
                arguments: [nonce, now]) ?? false
        }
    }

    /// The latest expiry (epoch seconds) of the remembered nonces, nil when
    /// none is: until then a nonce from before a restart may be live (the
    /// receiver reads this once and asks the store per push only until then).
    public func latestCallbackNonceExpiry() async throws -> Int64? {
        try await writer.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(expiresAt) FROM callbackNonce") }
    }

    /// How many nonces are remembered (tests, diagnostics).
    public func callbackNonceCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM callbackNonce") ?? 0 }
    }
}
