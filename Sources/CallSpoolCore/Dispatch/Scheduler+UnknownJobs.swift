import Foundation

extension Scheduler {
    /// Once a minute: `unknown` notify jobs that nothing was heard of for
    /// `limits.unknown_requeue_after` while the receiver was up go back to
    /// the queue (see ``AppDatabase/requeueUnheardUnknownJobs(now:after:receiverUpSince:limit:)``).
    /// Without a heartbeat that tells since when the receiver has been up,
    /// nothing is requeued: a duplicate call is worse than a missing one.
    func requeueUnheardUnknownJobs(now: Date) throws {
        let after = settings.limits.unknownRequeueAfter
        guard after > .zero, let upSince = try database.heartbeat()?.receiverUpSince else { return }
        let requeued = try database.requeueUnheardUnknownJobs(now: now, after: after, receiverUpSince: upSince)
        guard !requeued.isEmpty else { return }
        logger.notice("unknown jobs requeued: no callback for them while the receiver was up, so their calls did not happen", metadata: [
            "jobs": "\(requeued.count)", "after": "\(DurationText.format(after))",
        ])
    }
}
