import Foundation
import Logging
import VoiceCallAPI

/// Writes `<results.dir>/<job id>.json` (the id encoded by
/// ``ResultFileName``) for every job that reached a terminal state, so other
/// systems can consume results as a spool and find them by the id they gave.
///
/// The one drainer of the store's `resultOutbox`, which has one producer:
/// the schema's triggers, in the same transaction that finished the job (or
/// changed a finished job's digits). Only ``ResultsOutboxService`` calls
/// ``drain()`` in the daemon, woken by ``queued`` after every commit that
/// queued a file (``AppDatabase/observeQueuedResults(_:)``) and by its poll;
/// nothing that answers a request waits for it.
///
/// Guarantees: a file is written from committed state; each is written to
/// `.<name>.tmp`, flushed to disk, then renamed into place, so a reader never
/// sees a partial file; a row leaves the queue only after its file is in
/// place, and only if it was not queued again meanwhile, so a crash (or a
/// failed write) only delays a file, never loses it. A job that left its
/// terminal state again before the drain (retry, redial) is skipped. With no
/// directory configured the queue is simply emptied.
///
/// On a store shared by several instances (PostgreSQL) each drains the
/// files of the jobs it took in, into its own directory, and without a
/// directory empties only those; the files of an instance gone for good are
/// taken over by a drainer with a directory (``CallStore/pendingResults(limit:)``).
/// Runs on its own queue
/// (a ``QueueExecutor``): the blocking writes never hold a thread of
/// the cooperative pool.
public actor ResultsOutbox {
    public let database: any CallStore
    public let directory: String?
    /// Fired after every commit that queued a results file.
    public let queued: ResultsQueueSignal
    let logger: Logger
    private let executor = QueueExecutor(label: "callspool.results")
    /// Kept for the outbox's lifetime: the store signals ``queued`` while it
    /// lives. None without a directory: there is nothing to write, and the
    /// queue is emptied by the service's poll, not once per commit.
    private let observer: (any Sendable)?

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The result webhooks' events: queued here, as each drained result is
    /// taken off the outbox, in the same commit.
    public let webhooks: WebhookEvents
    /// Fired after a drain queued webhook events (the sender's wake-up).
    public nonisolated let webhookQueued = ResultsQueueSignal()
    let clock: any WallClock

    public init(
        database: any CallStore, directory: String?, webhooks: WebhookEvents = WebhookEvents(endpoints: []), clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) {
        self.database = database
        self.directory = directory
        self.webhooks = webhooks
        self.clock = clock
        self.logger = logger
        let queued = ResultsQueueSignal()
        self.queued = queued
        observer = directory == nil && webhooks.isEmpty ? nil : database.observeQueuedResults { queued.fire() }
    }

    /// Creates the directory (mode 0750) if needed.
    public func prepare() throws(ResultsOutboxError) {
        guard let directory else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw .cannotCreateDirectory(directory, "\(error)")
        }
    }

    /// Writes every queued file; returns how many were written. Failures are
    /// logged and left queued for the next drain.
    @discardableResult
    public func drain() -> Int {
        guard directory != nil || !webhooks.isEmpty else {
            // On a shared store, only this instance's own rows: another's
            // are its to write (or, once it is gone, a drainer's with a directory).
            do { try database.discardPendingResults() } catch { logger.error("results outbox: cannot clear queue: \(error)") }
            return 0
        }
        var written = 0
        while true {
            let batch: [PendingResult]
            do { batch = try database.pendingResults() } catch {
                logger.error("results outbox: cannot read queue: \(error)")
                return written
            }
            if batch.isEmpty { return written }
            var done: [ClearedResult] = []
            var deliveries: [WebhookDelivery] = []
            var campaigns = Set<String>()
            let now = clock.now
            for item in batch {
                guard let rowID = item.job.rowId else { continue }
                if item.job.state.isTerminal {
                    if let directory {
                        do {
                            try Self.write(JobResult(job: item.job, attempts: item.attempts), to: directory, name: ResultFileName.forJob(id: item.job.jobId))
                            written += 1
                        } catch {
                            logger.error("results outbox: \(error.description)")
                            continue
                        }
                    }
                    if !webhooks.isEmpty {
                        do {
                            deliveries += try webhooks.deliveries(for: item, now: now)
                        } catch {
                            logger.error("results outbox: cannot encode the webhook event of job row \(rowID): \(error)")
                            continue
                        }
                        if let campaign = item.job.campaign { campaigns.insert(campaign) }
                    }
                }
                done.append(ClearedResult(jobRowId: rowID, version: item.version))
            }
            do {
                if webhooks.isEmpty {
                    try database.clearResults(done)
                } else if try database.clearResults(done, queueing: deliveries, campaigns: campaigns, events: webhooks, now: now) > 0 {
                    webhookQueued.fire()
                }
            } catch {
                logger.error("results outbox: cannot update queue: \(error)")
                return written
            }
            if done.isEmpty { return written }
        }
    }
    /// tmp-then-rename, with the data flushed before the rename.
    static func write(_ result: JobResult, to directory: String, name: String) throws(ResultsOutboxError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let target = directory + "/" + name
        let staging = directory + "/." + name + ".tmp"
        do {
            let data = try encoder.encode(result)
            guard FileManager.default.createFile(atPath: staging, contents: nil, attributes: [.posixPermissions: 0o640]) else {
                throw ResultsOutboxError.cannotWrite(target, "cannot create \(staging)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: staging))
            defer { try? handle.close() }
            try handle.write(contentsOf: data + Data("\n".utf8))
            try handle.synchronize()
        } catch let error as ResultsOutboxError {
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw .cannotWrite(target, "\(error)")
        }
        guard rename(staging, target) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: staging)
            throw .cannotWrite(target, reason)
        }
    }
}

/// Why a results file could not be written.
public enum ResultsOutboxError: Error, Sendable, CustomStringConvertible {
    case cannotCreateDirectory(String, String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let dir, let reason):
            "cannot create results.dir \(dir): \(reason); create it writable by the callspool user or change results.dir"
        case .cannotWrite(let file, let reason):
            "cannot write results file \(file): \(reason); check free space and permissions of results.dir (retried on the next drain)"
        }
    }
}
