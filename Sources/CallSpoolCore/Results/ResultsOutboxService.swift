import Logging
import ServiceLifecycle

/// Runs the ``ResultsOutbox`` inside `callspool run`: the one drainer of the
/// results outbox.
///
/// Drains once at start-up (files queued before a crash or a stop), then
/// each time the store signals a commit that queued a file
/// (``ResultsOutbox/queued``), and at least every `interval` as a safety net
/// (a write that failed and is retried; without `results.dir`, emptying the
/// queue). Nothing else drains: a callback is answered once its push is
/// committed, never after a results file. On graceful shutdown it drains one
/// last time.
public struct ResultsOutboxService: Service {
    public let outbox: ResultsOutbox
    public let interval: Duration

    public init(outbox: ResultsOutbox, interval: Duration = .seconds(1)) {
        self.outbox = outbox
        self.interval = interval
    }

    public func run() async throws {
        try await outbox.prepare()
        let signal = outbox.queued
        let interval = interval
        let outbox = outbox
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    // The poll: a wake-up now (the start-up drain), then every interval.
                    while !Task.isCancelled {
                        signal.fire()
                        try? await Task.sleep(for: interval)
                    }
                }
                for await _ in signal.wakes { await outbox.drain() }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            signal.finish()
        }
        await outbox.drain()
    }
}
