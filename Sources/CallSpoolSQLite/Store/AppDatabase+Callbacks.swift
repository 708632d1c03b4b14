import CallSpoolCore
import Foundation
import GRDB
import VoiceCallAPI

extension AppDatabase {
    /// Stores several pushes in one transaction (group commit), each in its
    /// own savepoint: a push that cannot be stored fails alone
    /// (``StoreTransaction/record(_:)``). Runs on the store's
    /// writer queue, never blocking the caller's thread. When the commit
    /// itself fails, every push fails.
    public func recordCallbacks(_ pushes: [CallbackPush]) async -> [Result<CallbackCommit, any Error>] {
        do {
            return try await writer.write { db in try SQLiteTransaction(db: db).record(pushes) }
        } catch {
            return pushes.map { _ in .failure(error) }
        }
    }

    public func reconcilePendingEvents(now: Date, horizon: TimeInterval = 86_400) throws -> CallbackCommit {
        try writing { try $0.reconcilePendingEvents(now: now, horizon: horizon) }
    }
}
