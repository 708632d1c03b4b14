import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Writes the daemon's heartbeat row every few seconds so `callspool status`
/// can tell a live daemon from a dead one, and clears nothing on exit (a
/// stale heartbeat is how a crash shows).
public struct HeartbeatService: Service {
    public let database: AppDatabase
    public let interval: Duration
    public let clock: any WallClock
    public let startedAt: Date
    public let version: String
    public let figures: @Sendable () async -> (effectivePortLimit: Int?, createdClock: String?)

    public init(
        database: AppDatabase, interval: Duration = .seconds(5), clock: any WallClock, version: String,
        figures: @escaping @Sendable () async -> (effectivePortLimit: Int?, createdClock: String?) = { (nil, nil) }
    ) {
        self.database = database
        self.interval = interval
        self.clock = clock
        self.startedAt = clock.now
        self.version = version
        self.figures = figures
    }

    public func beatOnce() async throws {
        let extra = await figures()
        try database.beat(HeartbeatRecord(
            pid: Int(getpid()), startedAt: startedAt, heartbeatAt: clock.now, version: version,
            effectivePortLimit: extra.effectivePortLimit, createdClock: extra.createdClock))
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try await beatOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
