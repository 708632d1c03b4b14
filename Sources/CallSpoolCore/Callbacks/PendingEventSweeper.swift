import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Periodically attaches callback events that were stored before their job
/// could be matched and whose job has since become reconcilable: events that
/// came in while a request was `dispatching`, whose response was then lost
/// (or the daemon crashed) so the job went `unknown`. Runs once at start-up,
/// then every `interval`; ended calls are signalled like live ones, and the
/// results files of the jobs it finishes are queued by its commit (written by
/// ``ResultsOutboxService``, not here).
public struct PendingEventSweeper: Service {
    public let database: any CallStore
    public let clock: any WallClock
    public let interval: Duration
    public let onCallEnded: @Sendable (CallEndSignal) -> Void
    let logger: Logger
    /// Counts the minutes billed by the CDRs a sweep applies.
    let metrics: CallspoolMetrics

    public init(
        database: any CallStore, clock: any WallClock, interval: Duration = .seconds(30),
        onCallEnded: @escaping @Sendable (CallEndSignal) -> Void, logger: Logger, metrics: CallspoolMetrics = .disabled
    ) {
        self.database = database
        self.clock = clock
        self.interval = interval
        self.onCallEnded = onCallEnded
        self.logger = logger
        self.metrics = metrics
    }

    /// One sweep; returns the calls it ended.
    @discardableResult
    public func sweep() async -> [CallEndSignal] {
        do {
            let commit = try database.reconcilePendingEvents(now: clock.now)
            for signal in commit.signals { onCallEnded(signal) }
            metrics.countBilledMinutes(commit.billed)
            if !commit.signals.isEmpty {
                logger.info("reconciled callbacks of \(commit.signals.count) call(s) whose response was lost")
            }
            return commit.signals
        } catch {
            logger.error("pending callback sweep failed: \(error)")
            return []
        }
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await sweep()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
