import Foundation

extension StoreTransaction {
    /// Takes written results off the outbox and queues their webhook
    /// events in the same commit, so an event is never lost nor queued
    /// twice (the subject is unique per webhook). `campaigns`: the
    /// campaigns of the finished jobs, each checked here: one none of whose
    /// jobs is left to finish queues `campaign.finished` for its watchers.
    /// Returns how many deliveries were queued.
    public func clearResults(_ done: [ClearedResult], queueing deliveries: [WebhookDelivery], campaigns: Set<String>, events: WebhookEvents, now: Date) throws -> Int {
        var queued = try insertWebhookDeliveries(deliveries)
        for campaign in campaigns.sorted() {
            let watchers = events.campaignWatchers(campaign)
            guard !watchers.isEmpty else { continue }
            let open = JobState.allCases.filter { !$0.isTerminal }
            guard try countJobs(JobFilter(ids: [], campaign: campaign, states: open)) == 0 else { continue }
            var states: [JobState: Int] = [:]
            for state in JobState.allCases where state.isTerminal {
                states[state] = try countJobs(JobFilter(ids: [], campaign: campaign, states: [state]))
            }
            queued += try insertWebhookDeliveries(try events.campaignFinished(campaign, states: states, watchers: watchers, now: now))
        }
        try clearResultRows(done)
        return queued
    }
}

extension StoreDriver {
    /// Webhook rows changed per transaction by a replay or a prune.
    public static var webhookPageSize: Int { 500 }

    public func clearResults(_ done: [ClearedResult]) throws {
        guard !done.isEmpty else { return }
        try writing { try $0.clearResultRows(done) }
    }

    public func clearResults(_ done: [ClearedResult], queueing deliveries: [WebhookDelivery], campaigns: Set<String>, events: WebhookEvents, now: Date) throws -> Int {
        guard !done.isEmpty || !deliveries.isEmpty else { return 0 }
        return try writing { try $0.clearResults(done, queueing: deliveries, campaigns: campaigns, events: events, now: now) }
    }

    /// Takes up to `limit` due deliveries of `webhooks` for one try each:
    /// counts the try and moves `nextAttemptAt` past `lease`, so another
    /// sender (or this one after a crash) takes it again only if the try's
    /// outcome was never recorded.
    public func claimWebhookDeliveries(webhooks: [String], owner: String, now: Date, lease: Duration, limit: Int) throws -> [WebhookDelivery] {
        guard !webhooks.isEmpty else { return [] }
        return try writing { rows in
            let claimed = try rows.dueWebhookDeliveries(webhooks: webhooks, now: now, limit: limit).map { delivery in
                var claimed = delivery
                claimed.attempts += 1
                claimed.claimedBy = owner
                claimed.nextAttemptAt = now.addingTimeInterval(lease.timeInterval)
                return claimed
            }
            try rows.writeWebhookDeliveries(claimed)
            return claimed
        }
    }

    /// Records what became of claimed tries, in one commit. A try is
    /// recorded only while it is the delivery's current one and the
    /// delivery is pending: a try taken for lost and claimed again (or
    /// replayed) meanwhile is not overwritten. Returns how many were recorded.
    public func recordWebhookTries(_ tries: [WebhookTry], now: Date) throws -> Int {
        guard !tries.isEmpty else { return 0 }
        return try writing { rows in
            var current = Dictionary(try rows.webhookDeliveries(ids: tries.map(\.deliveryId)).compactMap { d in d.id.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
            var changed: [Int64] = []
            for attempt in tries {
                guard var delivery = current[attempt.deliveryId], delivery.state == .pending, delivery.attempts == attempt.attempt else { continue }
                delivery.claimedBy = nil
                switch attempt.decision {
                case .delivered(let status):
                    delivery.state = .delivered
                    delivery.lastStatus = status
                    delivery.lastError = nil
                    delivery.finishedAt = now
                case .retry(let at, let status, let error):
                    delivery.nextAttemptAt = at
                    delivery.lastStatus = status
                    delivery.lastError = error
                case .gaveUp(let status, let error, _):
                    delivery.state = .gaveUp
                    delivery.lastStatus = status
                    delivery.lastError = error
                    delivery.finishedAt = now
                }
                if !changed.contains(attempt.deliveryId) { changed.append(attempt.deliveryId) }
                current[attempt.deliveryId] = delivery
            }
            try rows.writeWebhookDeliveries(changed.compactMap { current[$0] })
            return changed.count
        }
    }

    /// Queues again the deliveries `replay` names (given up; with a job:
    /// that job's, delivered ones too), due now and retried for
    /// `maxAge(webhook)` more. Same event id: a receiver that had it
    /// de-duplicates. In pages of ``webhookPageSize``; returns how many.
    public func replayWebhooks(_ replay: WebhookReplay, now: Date, maxAge: (String) -> Duration) throws -> Int {
        var after: Int64 = 0
        var replayed = 0
        while true {
            let last: Int64? = try writing { rows in
                let page = try rows.webhookDeliveries(replay, afterID: after, limit: Self.webhookPageSize)
                let again = page.filter { $0.state != .pending }.map { delivery in
                    var delivery = delivery
                    delivery.state = .pending
                    delivery.claimedBy = nil
                    delivery.nextAttemptAt = now
                    delivery.giveUpAt = now.addingTimeInterval(maxAge(delivery.webhook).timeInterval)
                    delivery.finishedAt = nil
                    return delivery
                }
                try rows.writeWebhookDeliveries(again)
                replayed += again.count
                return page.last?.id
            }
            guard let last else { return replayed }
            after = last
        }
    }

    /// Makes the tries `owner` claimed and never recorded due at once:
    /// called when `owner` starts, so they are its own tries cut off by a
    /// crash or a stop (a try counts: the receiver may have taken it).
    /// Returns how many.
    public func releaseWebhookClaims(owner: String, now: Date) throws -> Int {
        try writing { rows in
            let released = try rows.webhookDeliveries(claimedBy: owner).map { delivery in
                var delivery = delivery
                delivery.claimedBy = nil
                delivery.nextAttemptAt = now
                return delivery
            }
            try rows.writeWebhookDeliveries(released)
            return released.count
        }
    }

    public func webhookFigures() throws -> [WebhookFigures] {
        try reading { try $0.webhookFigures() }
    }

    /// Deletes delivered rows finished before `before` (given-up ones are
    /// kept for a replay), in pages; returns how many.
    public func pruneDeliveredWebhooks(finishedBefore before: Date) throws -> Int {
        var deleted = 0
        while true {
            let page = try writing { try $0.deleteDeliveredWebhooks(finishedBefore: before, limit: Self.webhookPageSize) }
            deleted += page
            if page < Self.webhookPageSize { return deleted }
        }
    }
}

/// One try of a delivery and the decision on it (``WebhookRetryPolicy``).
public struct WebhookTry: Sendable, Hashable {
    public var deliveryId: Int64
    public var webhook: String
    /// The try's number (the delivery's `attempts` when it was claimed).
    public var attempt: Int
    public var decision: WebhookRetryPolicy.Decision

    public init(deliveryId: Int64, webhook: String, attempt: Int, decision: WebhookRetryPolicy.Decision) {
        self.deliveryId = deliveryId
        self.webhook = webhook
        self.attempt = attempt
        self.decision = decision
    }
}
