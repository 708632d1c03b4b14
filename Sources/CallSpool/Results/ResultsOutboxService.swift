import Logging
import ServiceLifecycle

/// Runs the ``ResultsOutbox`` inside `callspool run`: the one drainer of the
/// results outbox.
///
/// Drains once at start-up (files queued before a crash or a stop), then
/// each time the store signals a commit that queued a file
/// (``ResultsOutbox/queued``), and at least every `interval` as a safety net
/// (a signal missed, a write that failed and is retried). Nothing else drains:
/// a callback is answered once its push is committed, never after a results
/// file. On graceful shutdown it drains one last time.
public struct ResultsOutboxService: Service {
    public let outbox: ResultsOutbox
    public let interval: Duration

    public init(outbox: ResultsOutbox, interval: Duration = .seconds(1)) {
        self.outbox = outbox
        self.interval = interval
    }

    public func run() async throws {
        try await outbox.prepare()
        let queued = outbox.queued
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await outbox.drain()
            await withGracefulShutdownHandler {
                await queued.wait(timeout: interval)
            } onGracefulShutdown: {
                queued.signal()
            }
        }
        await outbox.drain()
    }
}
