import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// The spool intake as a lifecycle service: processes what is already in
/// `incoming/` at start, then every file inotify reports, with a periodic
/// rescan as a safety net. Files that cannot be read yet wait until their
/// size and mtime have been stable for `settle`, then are rejected.
///
/// Runs on a dispatch queue of its own: file-system calls block, and on the
/// cooperative pool (two threads here) a slow disk would stall the HTTP
/// client and the receiver. ``progress`` is beaten at every event (the watcher
/// ticks every 250 ms), so a wedged intake stops feeding the watchdog. An
/// entry that was handled but cannot leave `incoming/` is logged once and left
/// alone until it changes.
public actor IntakeService: Service {
    struct Pending {
        var identity: FileIdentity
        var stableSince: Date
        var lastReason: String
    }

    public let intake: SpoolIntake
    public let settle: Duration
    public let rescanInterval: Duration
    private var pending: [String: Pending] = [:]
    private var lastRescan = Date.distantPast
    /// Entries handled whose move failed, by the identity they had then.
    private var stuck: [String: FileIdentity] = [:]
    private let executor = SchedulerExecutor(label: "callspool.intake")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// Shows the watchdog that intake gets through its events.
    public nonisolated let progress: ProgressBeacon
    private let onProcessed: @Sendable (SpoolIntake.Result) -> Void
    /// While the store cannot take writes (or space is low), files wait in incoming/ untouched.
    private let storage: StorageHealth?

    public init(
        intake: SpoolIntake, settle: Duration, rescanInterval: Duration, storage: StorageHealth? = nil,
        progress: ProgressBeacon = ProgressBeacon(name: "intake"),
        onProcessed: @escaping @Sendable (SpoolIntake.Result) -> Void = { _ in }
    ) {
        self.storage = storage
        var intake = intake
        intake.progress = progress
        self.progress = progress
        self.intake = intake
        self.settle = settle
        self.rescanInterval = rescanInterval
        self.onProcessed = onProcessed
    }

    public func run() async throws {
        try intake.layout.ensureExists()
        let watcher = try SpoolWatcher(directory: intake.layout.incoming)
        defer { watcher.stop() }
        rescan()
        for await event in watcher.events.cancelOnGracefulShutdown() {
            progress.beat()
            switch event {
            case .arrived(let name): handle(name, announced: true)
            case .created(let name): handle(name, announced: false)
            case .tick: break
            }
            if intake.clock.now.timeIntervalSince(lastRescan) >= rescanInterval.timeInterval {
                rescan()
            } else if !pending.isEmpty {
                for name in pending.keys.sorted() { handle(name, announced: false) }
            }
        }
    }

    /// Looks at every file in `incoming/` (start-up and the periodic safety net).
    public func rescan() {
        lastRescan = intake.clock.now
        let names = (try? FileManager.default.contentsOfDirectory(atPath: intake.layout.incoming)) ?? []
        for name in names.sorted() where !SpoolLayout.isIgnored(name) {
            handle(name, announced: false)
            progress.beat()
        }
        let present = Set(names)
        stuck = stuck.filter { present.contains($0.key) }
    }

    /// Files waiting to settle.
    public var waiting: [String] { pending.keys.sorted() }

    /// `announced`: inotify reported the file complete (renamed in, or closed
    /// after writing). A file only found by a scan whose mtime is younger than
    /// `settle` may still be growing (a `cp` straight into incoming/), so it
    /// waits, even if what is there so far reads fine.
    func handle(_ name: String, announced: Bool) {
        guard !SpoolLayout.isIgnored(name) else { return }
        // Nothing is read, moved or reported while storage is short: the
        // periodic rescan picks the files up once it is back.
        if storage?.pausesWork == true { return }
        let path = intake.layout.incoming + "/" + name
        guard let identity = FileIdentity.of(path: path, name: name) else {
            pending[name] = nil
            stuck[name] = nil
            return
        }
        if let left = stuck[name] {
            guard left != identity else { return }
            stuck[name] = nil
        }
        let now = intake.clock.now
        var isSettled = false
        if var waiting = pending[name] {
            if waiting.identity != identity {
                waiting.identity = identity
                waiting.stableSince = now
                pending[name] = waiting
            }
            isSettled = isSettled || now.timeIntervalSince(waiting.stableSince) >= settle.timeInterval
        } else {
            isSettled = now.timeIntervalSince(identity.modified) >= settle.timeInterval
            if !announced, !isSettled {
                pending[name] = Pending(identity: identity, stableSince: now, lastReason: "recently modified")
                return
            }
        }
        if !announced, pending[name] != nil, !isSettled, pending[name]?.lastReason == "recently modified" {
            return
        }
        do {
            let result = try intake.process(name: name, settled: isSettled)
            switch result {
            case .notReady(let reason):
                if pending[name] == nil {
                    pending[name] = Pending(identity: identity, stableSince: now, lastReason: reason)
                    intake.logger.debug("spool file not readable yet, waiting for it to settle", metadata: ["file": "\(name)", "reason": "\(reason)"])
                }
            case .processed, .rejected, .skipped:
                pending[name] = nil
                onProcessed(result)
            }
        } catch let error as SpoolMoveError {
            pending[name] = nil
            stuck[name] = FileIdentity.of(path: path, name: name) ?? identity
            intake.logger.error("\(error)", metadata: ["file": "\(name)"])
        } catch {
            if storage?.recordFailure(error, at: intake.clock.now) == true { return }
            intake.logger.error("intake failed; the file stays in incoming/ and is retried", metadata: ["file": "\(name)", "error": "\(error)"])
        }
    }
}
