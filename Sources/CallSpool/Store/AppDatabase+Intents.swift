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

    func apply(_ intent: ControlIntent, now: Date, retryTTL: (JobType) -> Duration) throws -> String {
        try writer.write { db in
            switch intent {
            case .cancel(let ids, let campaign):
                var canceled = 0, flagged = 0, untouched = 0
                for var job in try Self.select(ids: ids, campaign: campaign, states: nil, in: db) {
                    switch job.state {
                    case .queued:
                        job.errorDesc = "canceled by operator"
                        try Self.transition(&job, to: .canceled, now: now, in: db)
                        canceled += 1
                    case .dispatching, .inCall, .unknown:
                        // A call in progress is not hung up; it just will not be redialed.
                        job.cancelRequested = true
                        try job.update(db)
                        flagged += 1
                    default:
                        untouched += 1
                    }
                }
                return "canceled \(canceled) queued jobs; \(flagged) in progress will not be redialed; \(untouched) already finished"
            case .retry(let ids, let state, let campaign):
                let states: Set<JobState> = state.map { [$0] } ?? [.failed, .unknown, .expired]
                var retried = 0, skipped: [String] = []
                for var job in try Self.select(ids: ids, campaign: campaign, states: states, in: db) {
                    if job.type == .verify, case .verify(let payload)? = job.decodedPayload, payload.verifyCode.isEmpty {
                        skipped.append("\(job.jobId) (verify code erased; submit a new job)")
                        continue
                    }
                    guard job.state.canTransition(to: .queued) else { continue }
                    job.nextAttemptAt = now
                    job.cancelRequested = false
                    if job.expiresAt <= now { job.expiresAt = now.addingTimeInterval(retryTTL(job.type).timeInterval) }
                    job.errorCode = nil
                    job.errorDesc = nil
                    try Self.transition(&job, to: .queued, now: now, in: db)
                    retried += 1
                }
                return "requeued \(retried) jobs" + (skipped.isEmpty ? "" : "; skipped \(skipped.joined(separator: ", "))")
            case .pause(let campaign):
                if let campaign {
                    try db.execute(sql: "UPDATE campaign SET paused = 1 WHERE name = ?", arguments: [campaign])
                    return db.changesCount > 0 ? "paused campaign \(campaign)" : "no campaign \(campaign)"
                }
                try PauseRecord(scope: PauseScope.global.description, reason: "paused by operator", code: nil, until: nil, createdAt: now).save(db)
                return "paused all dispatch"
            case .resume(let campaign):
                if let campaign {
                    try db.execute(sql: "UPDATE campaign SET paused = 0 WHERE name = ?", arguments: [campaign])
                    return db.changesCount > 0 ? "resumed campaign \(campaign)" : "no campaign \(campaign)"
                }
                try db.execute(sql: "DELETE FROM pause WHERE scope = 'global' AND until IS NULL")
                return "resumed dispatch"
            }
        }
    }

    static func select(ids: [String], campaign: String?, states: Set<JobState>?, in db: Database) throws -> [JobRecord] {
        var request = JobRecord.all()
        if !ids.isEmpty { request = request.filter(ids.contains(JobRecord.Columns.jobId)) }
        if let campaign { request = request.filter(JobRecord.Columns.campaign == campaign) }
        if let states { request = request.filter(states.map(\.rawValue).contains(JobRecord.Columns.state)) }
        return try request.fetchAll(db)
    }
}
