import Foundation
import GRDB

extension AppDatabase {
    /// Queues an intent for the daemon.
    @discardableResult
    public func request(_ intent: ControlIntent, now: Date) throws -> Int64 {
        try addIntent(kind: intent.kind, argument: try intent.encoded(), now: now)
    }

    /// Applies every pending intent, each in its own transaction, and records
    /// what it did. Returns the ids of jobs it changed.
    @discardableResult
    public func applyPendingIntents(now: Date, retryTTL: (JobType) -> Duration) throws -> [String] {
        var summaries: [String] = []
        for record in try pendingIntents() {
            guard let id = record.id else { continue }
            let summary: String
            do {
                summary = try apply(try ControlIntent.decode(record.argument), now: now, retryTTL: retryTTL)
            } catch {
                summary = "not applied: \(error)"
            }
            try writer.write { db in
                try db.execute(sql: "UPDATE intent SET appliedAt = ?, result = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, summary, id])
            }
            summaries.append(summary)
        }
        return summaries
    }

    /// Applies one intent. Cancel and retry walk the matching jobs in pages
    /// of ``controlPageSize``, each page its own transaction, so a campaign
    /// of millions of jobs is changed in bounded memory without holding the
    /// store's write lock for long. A crash in the middle leaves the intent
    /// unapplied; applying it again finishes the work (both are idempotent).
    func apply(_ intent: ControlIntent, now: Date, retryTTL: (JobType) -> Duration) throws -> String {
        switch intent {
        case .cancel(let ids, let campaign):
            return try cancel(ids: ids, campaign: campaign, now: now)
        case .retry(let ids, let state, let campaign):
            return try retry(ids: ids, state: state, campaign: campaign, now: now, retryTTL: retryTTL)
        case .pause(let campaign):
            return try writer.write { db in
                if let campaign {
                    try db.execute(sql: "UPDATE campaign SET paused = 1 WHERE name = ?", arguments: [campaign])
                    return db.changesCount > 0 ? "paused campaign \(campaign)" : "no campaign \(campaign)"
                }
                try PauseRecord(scope: PauseScope.global.description, reason: "paused by operator", code: nil, until: nil, createdAt: now).save(db)
                return "paused all dispatch"
            }
        case .resume(let campaign):
            return try writer.write { db in
                if let campaign {
                    try db.execute(sql: "UPDATE campaign SET paused = 0 WHERE name = ?", arguments: [campaign])
                    return db.changesCount > 0 ? "resumed campaign \(campaign)" : "no campaign \(campaign)"
                }
                try db.execute(sql: "DELETE FROM pause WHERE scope = 'global' AND until IS NULL")
                return "resumed dispatch"
            }
        }
    }
}
