import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Runs the ``WebhookSender`` inside `callspool run`, when any
/// `[webhooks.NAME]` is configured.
///
/// Sends whatever is due at start-up (events queued before a crash, and
/// its own tries a crash cut off: ``releaseOwnClaims()``), then
/// each time the results drain queued events (``ResultsOutbox/webhookQueued``)
/// and at least every `interval` (retries fall due; another instance of a
/// shared store queued events). Between batches it refreshes the webhook
/// gauges and, hourly, deletes delivered events older than `keepDelivered`.
/// On graceful shutdown the batch in flight ends (each request is bounded
/// by its webhook's `timeout`) and its outcomes are recorded; what was not
/// sent stays queued for the next start.
public struct WebhookSenderService: Service {
    public let sender: WebhookSender
    public let wakes: ResultsQueueSignal
    public let interval: Duration
    /// How long delivered events are kept (for `webhooks replay --job`).
    public let keepDelivered: Duration
    let client: HTTPClient
    let clock: any WallClock
    let metrics: CallspoolMetrics?
    let logger: Logger

    public init(
        database: any CallStore, endpoints: [WebhookEndpoint], owner: String, wakes: ResultsQueueSignal, interval: Duration = .seconds(1),
        keepDelivered: Duration = .seconds(7 * 86_400), clock: any WallClock = SystemWallClock(), metrics: CallspoolMetrics? = nil, logger: Logger
    ) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        configuration.decompression = .disabled
        // A redirect would send the signed event to another address: a 3xx
        // is an answer (a refusal), not a pointer.
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.client = client
        self.sender = WebhookSender(database: database, endpoints: endpoints, owner: owner, client: client, clock: clock, metrics: metrics, logger: logger)
        self.wakes = wakes
        self.interval = interval
        self.keepDelivered = keepDelivered
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        await releaseOwnClaims()
        let signal = wakes
        let interval = interval
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while !Task.isCancelled {
                        signal.fire()
                        try? await Task.sleep(for: interval)
                    }
                }
                var lastPrune: Date?
                var lastFigures: Date?
                for await _ in signal.wakes {
                    await sendAllDue()
                    let now = clock.now
                    if lastFigures.map({ now.timeIntervalSince($0) >= 5 }) ?? true {
                        lastFigures = now
                        await refreshFigures(now: now)
                    }
                    if lastPrune.map({ now.timeIntervalSince($0) >= 3_600 }) ?? true {
                        lastPrune = now
                        await prune(now: now)
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            signal.finish()
        }
        try? await client.shutdown()
    }

    /// This instance's tries cut off by its last crash or stop are sent
    /// again now, not when their claims run out.
    func releaseOwnClaims() async {
        let owner = sender.owner
        let now = clock.now
        do {
            let released = try await sender.database.offPool { try $0.releaseWebhookClaims(owner: owner, now: now) }
            if released > 0 { logger.notice("webhooks: \(released) event(s) whose try was cut off by the last stop are sent again") }
        } catch {
            logger.warning("webhooks: cannot release the last run's tries (sent again when their claims run out): \(error)")
        }
    }

    /// Batches until nothing is due; a store failure waits for the next wake-up.
    func sendAllDue() async {
        do {
            while !Task.isShuttingDownGracefully, try await sender.sendDue() > 0 {}
        } catch {
            logger.error("webhooks: cannot read or record deliveries: \(error) (tried again within \(interval))")
        }
    }

    func refreshFigures(now: Date) async {
        guard let metrics else { return }
        do {
            let figures = try await sender.database.offPool { try $0.webhookFigures() }
            metrics.setWebhooks(figures, configured: sender.endpoints.keys.sorted(), now: now)
        } catch {
            logger.warning("webhooks: cannot count deliveries: \(error)")
        }
    }

    func prune(now: Date) async {
        let before = now.addingTimeInterval(-keepDelivered.timeInterval)
        do {
            let deleted = try await sender.database.offPool { try $0.pruneDeliveredWebhooks(finishedBefore: before) }
            if deleted > 0 { logger.info("webhooks: deleted \(deleted) delivered event(s) older than \(keepDelivered)") }
        } catch {
            logger.warning("webhooks: cannot delete old delivered events: \(error)")
        }
    }
}
