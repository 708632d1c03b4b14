import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Writes the daemon's heartbeat row every few seconds so `callspool status`
/// can tell a live daemon from a dead one, and clears nothing on exit (a
/// stale heartbeat is how a crash shows).
public struct HeartbeatService: Service {
    public let database: any CallStore
    public let interval: Duration
    public let clock: any WallClock
    public let startedAt: Date
    public let version: String
    public typealias Figures = (effectivePortLimit: Int?, createdClock: String?, reserve: Int?, reserveReason: String?)
    public let figures: @Sendable () async -> Figures
    /// A pause between beats longer than this (the call lease) means the
    /// process, and so the callback receiver, was not answering: the
    /// receiver's up-time starts again.
    public let gapLimit: Duration
    private let beats = ReceiverUptime()
    /// A beat that cannot be written (full disk) is reported here and the
    /// service goes on; without it, the error ends the service.
    public var storage: StorageHealth?
    /// Each application's figures, written with the beat (`appStatus`).
    public var applications: (@Sendable () async -> [ApplicationFigures])?

    public init(
        database: any CallStore, interval: Duration = .seconds(5), clock: any WallClock, version: String, gapLimit: Duration = .seconds(600),
        figures: @escaping @Sendable () async -> Figures = { (nil, nil, nil, nil) }
    ) {
        self.database = database
        self.interval = interval
        self.clock = clock
        self.startedAt = clock.now
        self.version = version
        self.figures = figures
        self.gapLimit = gapLimit
    }

    public func beatOnce() async throws {
        let extra = await figures()
        let apps = await applications?() ?? []
        let now = clock.now
        let upSince = await beats.beat(at: now, startedAt: startedAt, gapLimit: gapLimit)
        let record = HeartbeatRecord(
            pid: Int(getpid()), startedAt: startedAt, heartbeatAt: now, version: version,
            effectivePortLimit: extra.effectivePortLimit, createdClock: extra.createdClock, receiverUpSince: upSince,
            verifyReserve: extra.reserve, verifyReserveReason: extra.reserveReason)
        let rows = apps.map { $0.record(at: now) }
        try await database.offPool { store in try store.beat(record, apps: rows) }
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await beatOnce()
            } catch {
                guard let storage, storage.recordFailure(error, at: clock.now) else { throw error }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

/// The receiver's continuous up-time as the heartbeat sees it: it starts
/// when the daemon starts and again after any gap between beats longer than
/// the limit (the process was stopped or starved, so pushes went unanswered).
actor ReceiverUptime {
    private var last: Date?
    private var since: Date?

    func beat(at now: Date, startedAt: Date, gapLimit: Duration) -> Date {
        let start = since ?? startedAt
        if let last, now.timeIntervalSince(last) > gapLimit.timeInterval {
            since = now
        } else {
            since = start
        }
        last = now
        return since ?? start
    }
}
