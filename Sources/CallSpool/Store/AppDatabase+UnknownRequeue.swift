import Foundation
import GRDB

extension AppDatabase {
    /// Queues again the `unknown` notify jobs for which the evidence says no
    /// call happened: no status event and no CDR matched to them (by job or
    /// by the userData of any of their attempts) for `after`, while the
    /// callback receiver was up since before their last request was sent
    /// (`receiverUpSince`, from the heartbeat). The platform re-pushes a CDR
    /// for 6 hours, so after 7 hours of silence with the receiver listening
    /// the call did not take place. Attempts are kept; `errorDesc` says why.
    /// Verify jobs are not requeued (their code would be late anyway).
    /// Returns the job ids requeued (at most `limit` per call).
    @discardableResult
    public func requeueUnheardUnknownJobs(now: Date, after: Duration, receiverUpSince: Date, limit: Int = 1_000) throws -> [String] {
        guard after > .zero else { return [] }
        return try writer.write { db in
            let cutoff = now.addingTimeInterval(-after.timeInterval).timeIntervalSince1970
            let jobs = try JobRecord.fetchAll(db, sql: """
                SELECT * FROM job j
                WHERE j.state = 'unknown' AND j.type = 'notify' AND j.updatedAt <= ?
                  AND (SELECT MAX(a.at) FROM attempt a WHERE a.jobRowId = j.id) >= ?
                  AND NOT EXISTS (SELECT 1 FROM cdr c WHERE c.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e WHERE e.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e JOIN attempt a ON a.userData = e.userData WHERE a.jobRowId = j.id)
                  AND NOT EXISTS (SELECT 1 FROM callEvent e JOIN attempt a ON a.sessionId = e.sessionId WHERE a.jobRowId = j.id)
                LIMIT ?
                """, arguments: [cutoff, receiverUpSince.timeIntervalSince1970, limit])
            for var job in jobs {
                job.errorCode = nil
                job.errorDesc = "requeued: no status event or CDR for \(DurationText.format(after)) while the callback receiver was up, so no call took place"
                job.nextAttemptAt = now
                try Self.transition(&job, to: .queued, now: now, in: db)
            }
            return jobs.map(\.jobId)
        }
    }
}
