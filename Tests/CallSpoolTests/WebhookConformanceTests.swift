@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// The result webhooks' outbox on every backend of ``StoreBackend/all``:
/// the driver rows (``StoreTransaction``) and the store's operations
/// (``CallStore``): queueing with the result that reports it, claiming,
/// recording tries, replaying, counting and pruning. Time is only `now:`.
@Suite struct WebhookConformanceTests {
    typealias Fixture = StoreConformanceTests
    typealias Driver = StoreDriverConformanceTests
    static let now = Fixture.now

    static func endpoint(_ name: String, campaigns: [String] = [], types: Set<JobType> = [], maxAge: Duration = .seconds(3_600)) -> WebhookEndpoint {
        WebhookEndpoint(
            name: name, url: URL(string: "http://127.0.0.1:9/hook")!, secret: "secret-0123456789abcdef", campaigns: campaigns, types: types, maxAge: maxAge)
    }

    static func delivery(_ webhook: String, subject: String, at: Date = now, state: WebhookDeliveryState = .pending, jobId: String? = "j") -> WebhookDelivery {
        WebhookDelivery(
            webhook: webhook, subject: subject, eventId: "evt-\(subject)", event: "job.final", jobId: jobId, body: "{\"id\":\"\(subject)\"}", state: state,
            createdAt: at, nextAttemptAt: at, giveUpAt: at.addingTimeInterval(3_600))
    }

    /// Cancels queued jobs through an intent: the quickest way to a final state.
    static func finish(_ ids: [String], in store: any CallStore) throws {
        _ = try store.request(.cancel(ids: ids, campaign: nil), now: now)
        _ = try store.applyPendingIntents(now: now) { _ in .seconds(300) }
    }

    @Test(arguments: StoreBackend.all)
    func deliveryRowsAreQueuedOnceClaimedWrittenCountedAndPruned(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        let later = Self.now.addingTimeInterval(60)
        let inserted = try Driver.writing(store) { rows in
            try rows.insertWebhookDeliveries([
                Self.delivery("crm", subject: "job:1:1"), Self.delivery("crm", subject: "job:2:1", at: later),
                Self.delivery("audit", subject: "job:1:1"), Self.delivery("crm", subject: "job:1:1"),  // the same (webhook, subject) twice: once
            ])
        }
        #expect(inserted == 3)
        try Driver.writing(store) { (rows) throws in
            let due = try rows.dueWebhookDeliveries(webhooks: ["crm"], now: Self.now, limit: 10)
            #expect(due.map(\.subject) == ["job:1:1"], "only due rows of the webhooks named")
            #expect(due.first?.body == "{\"id\":\"job:1:1\"}" && due.first?.eventId == "evt-job:1:1" && due.first?.giveUpAt == Self.now.addingTimeInterval(3_600))
            #expect(try rows.dueWebhookDeliveries(webhooks: ["crm", "audit"], now: later, limit: 10).map(\.webhook) == ["crm", "audit", "crm"])
            #expect(try rows.dueWebhookDeliveries(webhooks: [], now: later, limit: 10).isEmpty)
            var first = try #require(due.first)
            first.state = .delivered
            first.attempts = 1
            first.lastStatus = 204
            first.finishedAt = Self.now
            var audit = try #require(try rows.dueWebhookDeliveries(webhooks: ["audit"], now: Self.now, limit: 1).first)
            audit.attempts = 3
            audit.lastError = "HTTP 503"
            audit.claimedBy = "host-a"
            audit.nextAttemptAt = later
            try rows.writeWebhookDeliveries([first, audit])
            let read = try rows.webhookDeliveries(ids: [try #require(first.id), try #require(audit.id)])
            #expect(read.sorted { ($0.id ?? 0) < ($1.id ?? 0) } == [first, audit].sorted { ($0.id ?? 0) < ($1.id ?? 0) }, "every changed column of each is written")
            audit.lastError = nil
            audit.claimedBy = nil
            try rows.writeWebhookDeliveries([audit])
            #expect(try rows.webhookDeliveries(ids: [try #require(audit.id)]).first?.claimedBy == nil, "nulls are written too")
            let figures = try rows.webhookFigures()
            #expect(figures.map(\.webhook) == ["audit", "crm"])
            #expect(figures.last?.pending == 1 && figures.last?.delivered == 1 && figures.last?.oldestPending == later)
            let page = try rows.webhookDeliveries(WebhookReplay(jobId: "j"), afterID: 0, limit: 2)
            #expect(page.count == 2, "a job's deliveries, whatever their state, in pages")
            #expect(try rows.webhookDeliveries(WebhookReplay(), afterID: 0, limit: 10).isEmpty, "nothing given up")
            #expect(try rows.deleteDeliveredWebhooks(finishedBefore: Self.now, limit: 10) == 0, "finished at now, not before")
            #expect(try rows.deleteDeliveredWebhooks(finishedBefore: later, limit: 10) == 1)
        }
        #expect(try store.webhookFigures().map(\.delivered) == [0, 0])
    }

    @Test(arguments: StoreBackend.all)
    func aFinishedJobsEventIsQueuedWithItsResultAndACampaignFinishesOnce(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        _ = try Fixture.queue([Fixture.notify("c1", campaign: "flu"), Fixture.notify("c2", callee: "+8613800000002", campaign: "flu"), Fixture.verify("v")], in: store)
        let events = WebhookEvents(endpoints: [Self.endpoint("crm"), Self.endpoint("flu-only", campaigns: ["flu"], types: [.notify])])
        try Self.finish(["c1", "v"], in: store)
        var pending = try store.pendingResults()
        #expect(pending.map(\.job.jobId).sorted() == ["c1", "v"])
        try Driver.writing(store) { rows in
            try rows.clearResultRows(pending.map { ClearedResult(jobRowId: $0.job.rowId ?? 0, version: $0.version + 1) })
        }
        #expect(try store.pendingResults().count == 2, "a row queued again since it was read stays")
        var deliveries = try pending.flatMap { try events.deliveries(for: $0, now: Self.now) }
        #expect(deliveries.count == 3, "c1 to both, v (verify, no campaign) to crm only")
        var queued = try store.clearResults(
            pending.map { ClearedResult(jobRowId: $0.job.rowId ?? 0, version: $0.version) }, queueing: deliveries, campaigns: ["flu"], events: events, now: Self.now)
        #expect(queued == 3, "c2 is still queued: flu is not finished")
        #expect(try store.pendingResults().isEmpty, "taken off the results outbox in the same commit")
        try Self.finish(["c2"], in: store)
        pending = try store.pendingResults()
        deliveries = try pending.flatMap { try events.deliveries(for: $0, now: Self.now) }
        queued = try store.clearResults(
            pending.map { ClearedResult(jobRowId: $0.job.rowId ?? 0, version: $0.version) }, queueing: deliveries + deliveries, campaigns: ["flu"],
            events: events, now: Self.now)
        #expect(queued == 4, "c2 to both (each once), then campaign.finished to both")
        let claimed = try store.claimWebhookDeliveries(webhooks: ["crm", "flu-only"], owner: "a", now: Self.now, lease: .seconds(60), limit: 100)
        let finished = claimed.filter { $0.event == WebhookEvents.campaignFinished }
        #expect(finished.map(\.webhook).sorted() == ["crm", "flu-only"])
        let first = try #require(finished.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any])
        #expect(body["event"] as? String == "campaign.finished" && body["campaign"] as? String == "flu" && body["jobs"] as? Int == 2)
        #expect((body["states"] as? [String: Int])?["canceled"] == 2)
        let job = try #require(claimed.first { $0.jobId == "c1" })
        let result = try #require(try JSONSerialization.jsonObject(with: Data(job.body.utf8)) as? [String: Any])
        #expect(result["event"] as? String == "job.final" && result["id"] as? String == "c1" && result["state"] as? String == "canceled")
        #expect(result["jobKey"] != nil && result["attempts"] != nil, "the results file's keys")
        // Finishing again after more jobs were added finishes the campaign again.
        _ = try Fixture.queue([Fixture.notify("c3", callee: "+8613800000003", campaign: "flu")], in: store)
        try Self.finish(["c3"], in: store)
        pending = try store.pendingResults()
        queued = try store.clearResults(
            pending.map { ClearedResult(jobRowId: $0.job.rowId ?? 0, version: $0.version) }, queueing: [], campaigns: ["flu"], events: events, now: Self.now)
        #expect(queued == 2, "campaign:flu:3 for both")
    }

    @Test(arguments: StoreBackend.all)
    func triesAreClaimedOnceRecordedOnlyWhileCurrentAndGivenUpOnesReplayed(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        _ = try Driver.writing(store) { rows in
            try rows.insertWebhookDeliveries([Self.delivery("crm", subject: "a", jobId: "ja"), Self.delivery("crm", subject: "b", jobId: "jb"), Self.delivery("crm", subject: "c", jobId: "jc")])
        }
        let claimed = try store.claimWebhookDeliveries(webhooks: ["crm"], owner: "a", now: Self.now, lease: .seconds(60), limit: 10)
        #expect(claimed.map(\.attempts) == [1, 1, 1])
        #expect(try store.claimWebhookDeliveries(webhooks: ["crm"], owner: "a", now: Self.now.addingTimeInterval(59), lease: .seconds(60), limit: 10).isEmpty, "claimed: not due again within the lease")
        let ids = claimed.compactMap(\.id)
        let retryAt = Self.now.addingTimeInterval(10)
        let recorded = try store.recordWebhookTries([
            WebhookTry(deliveryId: ids[0], webhook: "crm", attempt: 1, decision: .delivered(status: 200)),
            WebhookTry(deliveryId: ids[1], webhook: "crm", attempt: 1, decision: .retry(at: retryAt, status: 503, error: "HTTP 503")),
            WebhookTry(deliveryId: ids[2], webhook: "crm", attempt: 1, decision: .gaveUp(status: 410, error: "HTTP 410", reason: .rejected)),
            WebhookTry(deliveryId: ids[0], webhook: "crm", attempt: 1, decision: .gaveUp(status: nil, error: "late", reason: .expired)),
        ], now: Self.now)
        #expect(recorded == 3, "the fourth came for a delivery already delivered")
        #expect(try store.webhookFigures().first == WebhookFigures(webhook: "crm", pending: 1, delivered: 1, gaveUp: 1, oldestPending: Self.now))
        // The retried one is due at its time; a try of a lost claim is not recorded over the new one.
        let again = try store.claimWebhookDeliveries(webhooks: ["crm"], owner: "a", now: retryAt, lease: .seconds(60), limit: 10)
        #expect(again.map(\.subject) == ["b"] && again.first?.attempts == 2 && again.first?.lastStatus == 503)
        #expect(try store.recordWebhookTries([WebhookTry(deliveryId: ids[1], webhook: "crm", attempt: 1, decision: .delivered(status: 200))], now: retryAt) == 0)
        // Replay: the given-up one, due now, with a new max_age window and the same event id.
        let replayAt = Self.now.addingTimeInterval(7_200)
        #expect(try store.replayWebhooks(WebhookReplay(webhook: "other"), now: replayAt) { _ in .seconds(600) } == 0)
        #expect(try store.replayWebhooks(WebhookReplay(since: replayAt), now: replayAt) { _ in .seconds(600) } == 0, "queued before --since")
        #expect(try store.replayWebhooks(WebhookReplay(webhook: "crm", since: Self.now), now: replayAt) { _ in .seconds(600) } == 1)
        let replayed = try store.claimWebhookDeliveries(webhooks: ["crm"], owner: "a", now: replayAt, lease: .seconds(60), limit: 10)
        #expect(replayed.map(\.subject).sorted() == ["b", "c"], "c replayed; b's claim ran out")
        let c = try #require(replayed.first { $0.subject == "c" })
        #expect(c.eventId == "evt-c" && c.giveUpAt == replayAt.addingTimeInterval(600) && c.finishedAt == nil)
        // --job replays a delivered one too.
        #expect(try store.replayWebhooks(WebhookReplay(jobId: "ja"), now: replayAt) { _ in .seconds(600) } == 1)
        #expect(try store.pruneDeliveredWebhooks(finishedBefore: replayAt) == 0, "a is pending again")
        _ = try store.recordWebhookTries(replayed.map { WebhookTry(deliveryId: $0.id ?? 0, webhook: "crm", attempt: $0.attempts, decision: .delivered(status: 200)) }, now: replayAt)
        #expect(try store.pruneDeliveredWebhooks(finishedBefore: replayAt.addingTimeInterval(1)) == 2)
        #expect(try store.webhookFigures().first?.pending == 1)
    }

    @Test(arguments: StoreBackend.all)
    func anInstancesInterruptedTriesAreDueAgainWhenItStarts(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        _ = try Driver.writing(store) { rows in
            try rows.insertWebhookDeliveries([Self.delivery("crm", subject: "a"), Self.delivery("crm", subject: "b"), Self.delivery("crm", subject: "c")])
        }
        let mine = try store.claimWebhookDeliveries(webhooks: ["crm"], owner: "host-a", now: Self.now, lease: .seconds(60), limit: 2)
        let theirs = try store.claimWebhookDeliveries(webhooks: ["crm"], owner: "host-b", now: Self.now, lease: .seconds(60), limit: 10)
        #expect(mine.map(\.subject) == ["a", "b"] && theirs.map(\.subject) == ["c"] && mine.allSatisfy { $0.claimedBy == "host-a" })
        try Driver.writing(store) { (rows) throws in
            #expect(try rows.webhookDeliveries(claimedBy: "host-a").map(\.subject) == ["a", "b"])
            #expect(try rows.webhookDeliveries(claimedBy: "host-c").isEmpty)
        }
        let restart = Self.now.addingTimeInterval(5)
        #expect(try store.releaseWebhookClaims(owner: "host-a", now: restart) == 2)
        let again = try store.claimWebhookDeliveries(webhooks: ["crm"], owner: "host-a", now: restart, lease: .seconds(60), limit: 10)
        #expect(again.map(\.subject) == ["a", "b"], "host-b's try is still its own")
        #expect(again.map(\.attempts) == [2, 2], "the cut-off try counts")
        #expect(try store.releaseWebhookClaims(owner: "host-a", now: restart) == 2 && store.releaseWebhookClaims(owner: "host-a", now: restart) == 0)
        _ = try store.recordWebhookTries([WebhookTry(deliveryId: theirs[0].id ?? 0, webhook: "crm", attempt: 1, decision: .delivered(status: 200))], now: restart)
        #expect(try store.releaseWebhookClaims(owner: "host-b", now: restart) == 0, "a recorded try is no claim")
    }
}
