import AsyncHTTPClient
@testable import CallSpoolCore
@testable import CallSpoolSQLite
import Crypto
import Foundation
import Logging
import Synchronization
import Testing

/// The webhooks from the results drain to a real HTTP receiver on
/// loopback: queued with the finished job, POSTed signed, retried on the
/// injected clock, given up and replayed. No real waiting: each step is one
/// `sendDue()`, and time moves by hand.
@Suite struct WebhookSenderTests {
    static let secret = "whsec-sender-test-0123456789"
    static let logger = Logger(label: "test")

    struct Setup {
        let store: AppDatabase
        let clock: ManualClock
        let outbox: ResultsOutbox
        let sender: WebhookSender
        let client: HTTPClient
    }

    static func setUp(receiverURL: String, jobs: [String], timeout: Duration = .seconds(5)) async throws -> Setup {
        let store = try AppDatabase.inMemory()
        let clock = ManualClock()
        _ = try store.insertJobs(
            jobs.enumerated().map { StoreFixtures.spec(id: $1, campaign: "flu", callee: "+86138000000\(String(format: "%02d", $0))") }, intakeKey: "k",
            sourceFile: "f.jsonl", policy: IntakePolicy(applications: []), now: clock.now)
        _ = try store.request(.cancel(ids: jobs, campaign: nil), now: clock.now)
        _ = try store.applyPendingIntents(now: clock.now) { _ in .seconds(300) }
        let endpoint = WebhookEndpoint(name: "crm", url: try #require(URL(string: receiverURL)), secret: secret, maxAge: .seconds(3_600), timeout: timeout)
        let outbox = ResultsOutbox(database: store, directory: nil, webhooks: WebhookEvents(endpoints: [endpoint]), clock: clock, logger: logger)
        let client = HTTPClient.shared
        let sender = WebhookSender(database: store, endpoints: [endpoint], owner: "test", client: client, clock: clock, random: { 0 }, logger: logger)
        return Setup(store: store, clock: clock, outbox: outbox, sender: sender, client: client)
    }

    /// The signature checked without the code under test: HMAC-SHA256 of "t.body".
    static func signatureHolds(_ request: WebhookReceiver.Request) -> Bool {
        guard let header = request.headers["callspool-signature"] else { return false }
        let parts = Dictionary(header.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.filter { $0.count == 2 }.map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
        guard let t = parts["t"], let v1 = parts["v1"] else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + request.body, using: SymmetricKey(data: Array(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined() == v1
    }

    @Test(.timeLimit(.minutes(1)))
    func aFinishedJobIsPostedSignedAndRetriedUntilTheReceiverTakesIt() async throws {
        let firstFinal = FirstTime()
        let receiver = try WebhookReceiver { _, request in
            request.headers["callspool-event"] == "job.final" && firstFinal.take() ? .status(503) : .status(204)
        }
        let setup = try await Self.setUp(receiverURL: receiver.url, jobs: ["n1"])
        await setup.outbox.drain()
        #expect(try setup.store.pendingResultCount() == 0, "taken off the results outbox")
        // One job, and the campaign it finished.
        #expect(try setup.store.webhookFigures().first?.pending == 2)
        #expect(try await setup.sender.sendDue() == 2)
        #expect(receiver.requests.count == 2)
        #expect(try setup.store.webhookFigures().first == WebhookFigures(webhook: "crm", pending: 1, delivered: 1, gaveUp: 0, oldestPending: setup.clock.now))
        #expect(try await setup.sender.sendDue() == 0, "the 503 is retried later, not now")
        setup.clock.advance(seconds: 3)  // base 5 s, jitter 0: 2.5 s
        #expect(try await setup.sender.sendDue() == 1)
        #expect(try setup.store.webhookFigures().first?.delivered == 2)
        let requests = receiver.requests
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/hook" && $0.headers["content-type"] == "application/json" })
        #expect(requests.allSatisfy(Self.signatureHolds), "every try signed")
        let final = requests.filter { $0.headers["callspool-event"] == "job.final" }
        #expect(final.count == 2 && final[0].body == final[1].body, "the same body on every try")
        #expect(final[0].headers["callspool-event-id"] == final[1].headers["callspool-event-id"], "the same event id")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(final[0].body)) as? [String: Any])
        #expect(body["event"] as? String == "job.final" && body["id"] as? String == "n1" && body["state"] as? String == "canceled")
        #expect(body["calleeNbr"] as? String == "+8613800000000")
        let campaign = try #require(requests.first { $0.headers["callspool-event"] == "campaign.finished" })
        #expect(campaign.text.contains("\"campaign\":\"flu\""))
    }

    @Test(.timeLimit(.minutes(1)))
    func aRefusedEventIsKeptAndAReplaySendsItAgainWithTheSameEventId() async throws {
        let receiver = try WebhookReceiver { index, request in
            request.headers["callspool-event"] == "job.final" && index < 2 ? .status(410) : .status(200)
        }
        let setup = try await Self.setUp(receiverURL: receiver.url, jobs: ["r1"])
        await setup.outbox.drain()
        #expect(try await setup.sender.sendDue() == 2)
        #expect(try setup.store.webhookFigures().first?.gaveUp == 1)
        setup.clock.advance(seconds: 86_400)
        #expect(try await setup.sender.sendDue() == 0, "given up: never retried by itself")
        #expect(try setup.store.replayWebhooks(WebhookReplay(), now: setup.clock.now) { _ in .seconds(3_600) } == 1)
        #expect(try await setup.sender.sendDue() == 1)
        let final = receiver.requests.filter { $0.headers["callspool-event"] == "job.final" }
        #expect(final.count == 2 && final[0].headers["callspool-event-id"] == final[1].headers["callspool-event-id"])
        #expect(try setup.store.webhookFigures().first == WebhookFigures(webhook: "crm", pending: 0, delivered: 2, gaveUp: 0))
    }

    @Test(.timeLimit(.minutes(1)))
    func aReceiverThatIsDownIsRetriedUntilMaxAgeThenGivenUp() async throws {
        let refused = try RefusedPort()
        // The client keeps trying to connect until the request's deadline: a short one keeps the test short.
        let setup = try await Self.setUp(receiverURL: "http://127.0.0.1:\(refused.port)/hook", jobs: ["d1"], timeout: .milliseconds(300))
        await setup.outbox.drain()
        var tries = 0
        while try await setup.sender.sendDue() > 0 || (try setup.store.webhookFigures().first?.pending ?? 0) > 0 {
            tries += 1
            setup.clock.advance(seconds: 600)
            if tries > 100 { break }
        }
        let figures = try #require(try setup.store.webhookFigures().first)
        #expect(figures.gaveUp == 2 && figures.pending == 0, "both events given up after max_age (1 h)")
        #expect(tries > 3, "retried before giving up")
        // Held to the end: a port freed early could be taken by another test's server.
        withExtendedLifetime(refused) {}
    }
}

/// True the first time only (a receiver's answer that depends on what it saw).
final class FirstTime: Sendable {
    private let taken = Mutex(false)

    func take() -> Bool {
        taken.withLock { taken in
            defer { taken = true }
            return !taken
        }
    }
}
