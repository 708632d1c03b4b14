import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Runs a ``WebhookSender`` inside `callspool run`, when any
/// `[webhooks.NAME]` is configured.
///
/// Sends whatever is due at start-up (events queued before a crash, and
/// its own tries a crash cut off: ``WebhookSender/releaseOwnClaims()``),
/// then each time the results drain queued events
/// (``ResultsOutbox/webhookQueued``) and at least every `interval` (retries
/// fall due; another instance of a shared store queued events). Between
/// batches it refreshes the webhook gauges and, hourly, deletes delivered
/// events older than `keepDelivered`. On graceful shutdown the batch in
/// flight ends (each request is bounded by its webhook's `timeout`) and its
/// outcomes are recorded; what was not sent stays queued for the next start.
/// Its HTTP client lives exactly as long as ``run()``.
public struct WebhookSenderService: Service {
    public let database: any CallStore
    public let endpoints: [WebhookEndpoint]
    /// This instance's name (``WebhookSender/owner``).
    public let owner: String
    public let wakes: ResultsQueueSignal
    public let interval: Duration
    /// How long delivered events are kept (for `webhooks replay --job`).
    public let keepDelivered: Duration
    let clock: any WallClock
    let metrics: CallspoolMetrics?
    let logger: Logger

    public init(
        database: any CallStore, endpoints: [WebhookEndpoint], owner: String, wakes: ResultsQueueSignal, interval: Duration = .seconds(1),
        keepDelivered: Duration = .seconds(7 * 86_400), clock: any WallClock = SystemWallClock(), metrics: CallspoolMetrics? = nil, logger: Logger
    ) {
        self.database = database
        self.endpoints = endpoints
        self.owner = owner
        self.wakes = wakes
        self.interval = interval
        self.keepDelivered = keepDelivered
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// The client webhooks are sent with: connections kept alive (one
    /// receiver, many events), up to `concurrency` per host, no redirects
    /// (a 3xx is an answer, a refusal, not a pointer: following it would
    /// send the signed event to another address).
    public static func makeClient(concurrency: Int = 32) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        configuration.decompression = .disabled
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func run() async throws {
        let client = Self.makeClient()
        let sender = WebhookSender(database: database, endpoints: endpoints, owner: owner, client: client, clock: clock, metrics: metrics, logger: logger)
        await sender.releaseOwnClaims()
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
                    await sender.sendAllDue()
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

    func refreshFigures(now: Date) async {
        guard let metrics else { return }
        do {
            let figures = try await database.offPool { try $0.webhookFigures() }
            metrics.setWebhooks(figures, configured: endpoints.map(\.name), now: now)
        } catch {
            logger.warning("webhooks: cannot count deliveries: \(error)")
        }
    }

    func prune(now: Date) async {
        let before = now.addingTimeInterval(-keepDelivered.timeInterval)
        do {
            let deleted = try await database.offPool { try $0.pruneDeliveredWebhooks(finishedBefore: before) }
            if deleted > 0 { logger.info("webhooks: deleted \(deleted) delivered event(s) older than \(keepDelivered)") }
        } catch {
            logger.warning("webhooks: cannot delete old delivered events: \(error)")
        }
    }
}
