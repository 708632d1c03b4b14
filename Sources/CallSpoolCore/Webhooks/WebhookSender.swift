import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import VoiceCallAPI

/// Sends the queued webhook deliveries: claims a batch from the store,
/// POSTs each one signed, decides its fate (``WebhookRetryPolicy``) and
/// records every outcome of the batch in one commit.
///
/// Why it is its own part: the receiver being slow or down must never slow
/// dispatch or callbacks. It runs on its own task with its own HTTP
/// client, takes the store only for short transactions, and a receiver
/// that times out costs this loop, nobody else.
///
/// Guarantees: at least once — a delivery leaves `pending` only after a
/// 2xx or a give-up is committed, and a try whose outcome was never
/// recorded (a crash) is taken again after its claim ran out; on a shared
/// store each due delivery is claimed by one instance. The body is sent
/// byte for byte as queued; the signature is made per try (fresh `t`). No
/// body or URL is logged (bodies carry phone numbers; URLs may carry tokens).
public actor WebhookSender {
    public let database: any CallStore
    public let endpoints: [String: WebhookEndpoint]
    /// This instance's name: its claims are released when it starts again.
    public let owner: String
    public let policy: WebhookRetryPolicy
    let client: HTTPClient
    let clock: any WallClock
    let random: @Sendable () -> Double
    let metrics: CallspoolMetrics?
    let logger: Logger
    /// Deliveries claimed per store transaction, and the most sent at once.
    public let batchSize: Int
    public let concurrency: Int
    /// The bytes of an answer read (and thrown away) before the connection is dropped.
    static let answerLimit = 64 * 1024

    public init(
        database: any CallStore, endpoints: [WebhookEndpoint], owner: String, client: HTTPClient, policy: WebhookRetryPolicy = WebhookRetryPolicy(),
        batchSize: Int = 256, concurrency: Int = 32, clock: any WallClock = SystemWallClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, metrics: CallspoolMetrics? = nil, logger: Logger
    ) {
        self.database = database
        self.owner = owner
        self.endpoints = Dictionary(endpoints.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.client = client
        self.policy = policy
        self.batchSize = batchSize
        self.concurrency = concurrency
        self.clock = clock
        self.random = random
        self.metrics = metrics
        self.logger = logger
    }

    /// How long a claimed try may take before another sender takes it
    /// for lost: the longest timeout, with room for the outcome's commit.
    var claimLease: Duration {
        (endpoints.values.map(\.timeout).max() ?? WebhookEndpoint.defaultTimeout) * 2 + .seconds(30)
    }

    /// Claims, sends and records one batch; returns how many were sent (0: nothing due).
    @discardableResult
    public func sendDue() async throws -> Int {
        let names = endpoints.keys.sorted()
        let now = clock.now
        let lease = claimLease
        let limit = batchSize
        let owner = owner
        let claimed = try await database.offPool { try $0.claimWebhookDeliveries(webhooks: names, owner: owner, now: now, lease: lease, limit: limit) }
        guard !claimed.isEmpty else { return 0 }
        let tries = await send(claimed)
        let recordedAt = clock.now
        _ = try await database.offPool { try $0.recordWebhookTries(tries, now: recordedAt) }
        for attempt in tries { count(attempt) }
        return claimed.count
    }

    /// Batches until nothing is due; a store failure is logged and left to
    /// the next call (the service's next wake-up).
    public func sendAllDue() async {
        do {
            while !Task.isShuttingDownGracefully, try await sendDue() > 0 {}
        } catch {
            logger.error("webhooks: cannot read or record deliveries: \(error) (tried again within a second)")
        }
    }

    /// Makes this instance's tries cut off by its last crash or stop due
    /// now, instead of when their claims run out; logs how many.
    public func releaseOwnClaims() async {
        let owner = owner
        let now = clock.now
        do {
            let released = try await database.offPool { try $0.releaseWebhookClaims(owner: owner, now: now) }
            if released > 0 { logger.notice("webhooks: \(released) event(s) whose try was cut off by the last stop are sent again") }
        } catch {
            logger.warning("webhooks: cannot release the last run's tries (sent again when their claims run out): \(error)")
        }
    }

    /// Sends `deliveries`, at most ``concurrency`` at once.
    func send(_ deliveries: [WebhookDelivery]) async -> [WebhookTry] {
        await withTaskGroup(of: WebhookTry?.self) { group in
            var tries: [WebhookTry] = []
            var next = deliveries.startIndex
            func start() {
                guard next < deliveries.endIndex else { return }
                let delivery = deliveries[next]
                next += 1
                group.addTask { await self.sendOne(delivery) }
            }
            for _ in 0..<concurrency { start() }
            while let result = await group.next() {
                if let result { tries.append(result) }
                start()
            }
            return tries
        }
    }

    /// One try of one delivery, and the decision on it.
    func sendOne(_ delivery: WebhookDelivery) async -> WebhookTry? {
        guard let id = delivery.id, let endpoint = endpoints[delivery.webhook] else { return nil }
        let result = await post(delivery, to: endpoint)
        let decision = policy.decide(result, attempt: delivery.attempts, now: clock.now, giveUpAt: delivery.giveUpAt, random: random())
        switch decision {
        case .delivered: break
        case .retry(let at, _, let error):
            logger.warning("webhook \(endpoint.name): event \(delivery.eventId) not delivered (\(error)); try \(delivery.attempts + 1) at \(Timestamp.format(at))")
        case .gaveUp(_, let error, _):
            logger.error("webhook \(endpoint.name): event \(delivery.eventId) given up: \(error); kept, `callspool webhooks replay` sends it again")
        }
        return WebhookTry(deliveryId: id, webhook: delivery.webhook, attempt: delivery.attempts, decision: decision)
    }

    func post(_ delivery: WebhookDelivery, to endpoint: WebhookEndpoint) async -> WebhookRetryPolicy.TryResult {
        let body = Array(delivery.body.utf8)
        var request = HTTPClientRequest(url: endpoint.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "callspool-webhooks")
        request.headers.add(name: WebhookSignature.eventIdHeader, value: delivery.eventId)
        request.headers.add(name: "Callspool-Event", value: delivery.event)
        let timestamp = Int64(clock.now.timeIntervalSince1970)
        request.headers.add(name: WebhookSignature.header, value: WebhookSignature.value(secret: endpoint.secret, timestamp: timestamp, body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .init(endpoint.timeout))
            var read = 0
            for try await chunk in response.body {
                read += chunk.readableBytes
                if read > Self.answerLimit { break }
            }
            return .status(Int(response.status.code))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .transportFailure("no answer within \(endpoint.timeout)")
        } catch {
            return .transportFailure("request failed: \(error)")
        }
    }

    private func count(_ attempt: WebhookTry) {
        guard let metrics else { return }
        let result: String
        switch attempt.decision {
        case .delivered: result = "delivered"
        case .retry: result = "retry"
        case .gaveUp(_, _, let reason): result = reason.rawValue
        }
        metrics.countWebhookDelivery(webhook: attempt.webhook, result: result)
    }
}
