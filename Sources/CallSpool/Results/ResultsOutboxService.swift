import Logging
import ServiceLifecycle

/// Runs the ``ResultsOutbox`` inside `callspool run`: drains once at start-up
/// (files left by a crash) and then every `interval`, which catches jobs
/// finished by other parts of the daemon (expiry, cancel, dispatch failures);
/// the callback receiver also drains right after the calls it completes.
public struct ResultsOutboxService: Service {
    public let outbox: ResultsOutbox
    public let interval: Duration

    public init(outbox: ResultsOutbox, interval: Duration = .seconds(1)) {
        self.outbox = outbox
        self.interval = interval
    }

    public func run() async throws {
        try await outbox.prepare()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await outbox.drain()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        await outbox.drain()
    }
}
