import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Keeps the gauges that describe state rather than events (jobs per state,
/// ports) current: reads the store and the scheduler every `interval`, so a
/// scrape never queries SQLite itself.
public struct MetricsRefresher: Service {
    public typealias PortFigures = @Sendable () async -> (inUse: Int, effectiveLimit: Int, configured: Int, reserve: Int)

    public let metrics: CallspoolMetrics
    public let database: any CallStore
    public let interval: Duration
    let portFigures: PortFigures?
    let clock: any WallClock
    let logger: Logger
    /// Reported as `callspool_storage_halted` / `callspool_storage_low_space`.
    public var storage: StorageHealth?
    /// Each application's figures (`callspool_app_*{app}` gauges).
    public var applicationFigures: (@Sendable () async -> [ApplicationFigures])?

    public init(
        metrics: CallspoolMetrics, database: any CallStore, interval: Duration = .seconds(3), portFigures: PortFigures?,
        clock: any WallClock = SystemWallClock(), logger: Logger
    ) {
        self.clock = clock
        self.metrics = metrics
        self.database = database
        self.interval = interval
        self.portFigures = portFigures
        self.logger = logger
    }

    /// One refresh of every gauge.
    public func refresh() async {
        for (campaign, count) in OptOutTally.drain() {
            for _ in 0..<count { metrics.countOptOut(campaign: campaign.isEmpty ? nil : campaign) }
        }
        if let state = storage?.current {
            metrics.setStorage(halted: state.writeFailure != nil, lowSpace: state.lowSpace != nil)
        }
        do {
            let now = clock.now
            let read = try await database.offPool { store in
                (counts: try store.stateCounts(), halts: try store.halts(), pauses: try store.activePauses(now: now),
                 oldest: try store.oldestDueQueued(now: now), beat: try store.heartbeat())
            }
            metrics.setJobs(read.counts)
            metrics.setPauses(read.pauses, halted: !read.halts.isEmpty)
            if let applicationFigures {
                metrics.setApplications(await applicationFigures(), halted: Set(read.halts.map(\.app)))
            }
            metrics.setQueueOldestAge(read.oldest.mapValues { now.timeIntervalSince($0) })
            if let beat = read.beat { metrics.setHeartbeatAge(now.timeIntervalSince(beat.heartbeatAt)) }
        } catch {
            logger.warning("metrics: could not count jobs", metadata: ["error": "\(error)"])
        }
        if let portFigures {
            let ports = await portFigures()
            metrics.setPorts(inUse: ports.inUse, effectiveLimit: ports.effectiveLimit, configured: ports.configured, verifyReserve: ports.reserve)
        }
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await refresh()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
