import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Keeps verify codes from outliving their use: `unknown` jobs past their
/// expiry become `expired` (their code erased), and after erasures the WAL
/// is checkpointed and truncated, because SQLite keeps the page images from
/// before the erasure in the WAL until a checkpoint.
///
/// Checks every `interval` (well under a minute); a checkpoint the readers
/// held back is retried at the next check.
public struct SecretErasureService: Service {
    public let database: any CallStore
    public let interval: Duration
    public let clock: any WallClock
    public let logger: Logger

    public init(database: any CallStore, interval: Duration = .seconds(10), clock: any WallClock, logger: Logger) {
        self.database = database
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// One pass; `checkpointed` is the erasure generation already
    /// checkpointed. Returns the generation checkpointed now.
    public func runOnce(checkpointed: Int?) throws -> Int? {
        let expired = try database.expireUnknownJobs(now: clock.now)
        if !expired.isEmpty {
            logger.info("unknown jobs expired (their verify codes erased)", metadata: ["jobs": "\(expired.count)"])
        }
        let generation = SecretErasures.current
        guard generation != checkpointed else { return checkpointed }
        return try database.checkpointTruncatingWAL() ? generation : checkpointed
    }

    public func run() async throws {
        // nil: checkpoint once at start too (erasures of a previous run).
        var checkpointed: Int?
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                // A checkpoint copies the whole WAL and waits for readers: never on the async runtime's threads.
                checkpointed = try await database.offPool { [self, checkpointed] _ in try runOnce(checkpointed: checkpointed) }
            } catch {
                logger.error("expiring unknown jobs / checkpointing the store failed; retrying", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
