import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Watches free space and the store's writability every few seconds, so a
/// full disk degrades callspool instead of ending it, and everything resumes
/// by itself when space returns (no restart needed).
///
/// - Below `store.min_free` on the store's or the spool's filesystem: a
///   `storage` pause (intake and dispatch wait, callbacks are still stored in
///   what is left), the WAL is checkpointed to give space back.
/// - After a failed write (``StorageHealth``): a small probe write each
///   round; when it succeeds and space is above the threshold, the halt ends
///   and `onRecovered` runs (buffered callbacks are written, dispatch
///   restarts slowly).
public struct StorageMonitor: Service {
    public typealias FreeSpace = @Sendable (String) -> Int64?

    public let health: StorageHealth
    public let database: any CallStore
    /// Paths whose filesystems must keep `minFree` bytes free, with the
    /// configuration key that names them.
    public let watched: [(path: String, key: String)]
    public let minFree: Int64
    public let interval: Duration
    public let clock: any WallClock
    let freeSpace: FreeSpace
    let onRecovered: @Sendable () async -> Void
    let logger: Logger

    public init(
        health: StorageHealth, database: any CallStore, watched: [(path: String, key: String)], minFree: Int64,
        interval: Duration = .seconds(2), clock: any WallClock, freeSpace: @escaping FreeSpace = StorageMonitor.statvfsFree,
        onRecovered: @escaping @Sendable () async -> Void = {}, logger: Logger
    ) {
        self.health = health
        self.database = database
        self.watched = watched
        self.minFree = minFree
        self.interval = interval
        self.clock = clock
        self.freeSpace = freeSpace
        self.onRecovered = onRecovered
        self.logger = logger
    }

    /// Free bytes for unprivileged writers on the filesystem holding `path`
    /// (or its nearest existing parent).
    public static let statvfsFree: FreeSpace = { path in
        var candidate = path
        while !candidate.isEmpty, !FileManager.default.fileExists(atPath: candidate) {
            candidate = (candidate as NSString).deletingLastPathComponent
        }
        var stats = statvfs()
        guard statvfs(candidate.isEmpty ? "/" : candidate, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await check()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One round: measure, pause or resume, probe after a write failure.
    public func check() async {
        let now = clock.now
        var short: [String] = []
        for (path, key) in watched {
            guard let free = freeSpace(path), free < minFree else { continue }
            short.append("\(ByteSize.format(free)) free for \(key) (\(path)), below store.min_free \(ByteSize.format(minFree))")
        }
        let low = short.isEmpty ? nil : short.joined(separator: "; ")
        let wasLow = health.current.lowSpace != nil
        health.setLowSpace(low)
        if let low, !wasLow {
            // Give the WAL's space back; then record the pause where status shows it.
            _ = try? await database.offPool { store in
                _ = try? store.checkpointTruncatingWAL()
                try store.setPause(.storage, reason: "low disk space: \(low)", code: nil, until: nil, now: now)
            }
        } else if low == nil, wasLow {
            do {
                try await database.offPool { store in try store.clearPause(.storage) }
            } catch {
                health.recordFailure(error, at: now)
            }
        }
        guard health.current.writeFailure != nil, low == nil else { return }
        do {
            try await database.offPool { store in
                try store.probeWrite(now: now)
                try? store.clearPause(.storage)
            }
            health.recordRecovered()
            await onRecovered()
        } catch {
            if StorageFailure.reason(for: error) == nil {
                logger.error("storage probe failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
