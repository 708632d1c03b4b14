import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// The spool intake as a lifecycle service: processes what is already in
/// `incoming/` at start, then every file inotify reports, with a periodic
/// rescan as a safety net. Files that cannot be read yet wait until their
/// size and mtime have been stable for `settle`, then are rejected. Names
/// that arrive together (one inotify read, one scan) are handed to
/// ``SpoolIntake/process(_:)`` together, so many small files share one
/// commit.
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
        var cause: WaitCause
    }

    /// Why a file waits in `incoming/`: decides whether an unannounced look
    /// at it may read it before it settles.
    enum WaitCause: Equatable {
        /// Found by a scan with a young mtime: it may still be growing, so
        /// it is not read before it settles (unless inotify announces it).
        case recentlyModified
        /// Read and found incomplete or unreadable (the reason, for the log).
        case notReadable(String)
    }

    public let intake: SpoolIntake
    public let settle: Duration
    public let rescanInterval: Duration
    private var pending: [String: Pending] = [:]
    private var lastRescan = Date.distantPast
    /// Entries handled whose move failed, by the identity they had then.
    private var stuck: [String: FileIdentity] = [:]
    private let executor = QueueExecutor(label: "callspool.intake")
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
        intake.eraseInterruptedRedactions()
        let watcher = try SpoolWatcher(directory: intake.layout.incoming)
        defer { watcher.stop() }
        rescan()
        // The watcher yields the names of one inotify read, then a tick:
        // names are gathered until that tick so files arriving together are
        // taken in together (one transaction for many small files).
        var arrivals: [(name: String, announced: Bool)] = []
        for await event in watcher.events.cancelOnGracefulShutdown() {
            progress.beat()
            switch event {
            case .arrived(let name): arrivals.append((name, true))
            case .created(let name): arrivals.append((name, false))
            case .tick: break
            }
            if event != .tick, arrivals.count < Self.maxGathered { continue }
            handle(arrivals)
            arrivals.removeAll(keepingCapacity: true)
            if intake.clock.now.timeIntervalSince(lastRescan) >= rescanInterval.timeInterval {
                rescan()
            } else if !pending.isEmpty {
                handle(pending.keys.sorted().map { ($0, false) })
            }
        }
    }

    /// Looks at every file in `incoming/` (start-up and the periodic safety net).
    public func rescan() {
        lastRescan = intake.clock.now
        let names = (try? FileManager.default.contentsOfDirectory(atPath: intake.layout.incoming)) ?? []
        let listed = names.sorted().filter { !SpoolLayout.isIgnored($0) }
        var start = 0
        while start < listed.count {
            let end = min(listed.count, start + Self.maxGathered)
            handle(listed[start..<end].map { ($0, false) })
            progress.beat()
            start = end
        }
        let present = Set(names)
        stuck = stuck.filter { present.contains($0.key) }
    }

    /// Files waiting to settle.
    public var waiting: [String] { pending.keys.sorted() }

    /// At most this many names are handled together.
    static let maxGathered = 512

    /// `announced`: inotify reported the file complete (renamed in, or closed
    /// after writing). A file only found by a scan whose mtime is younger than
    /// `settle` may still be growing (a `cp` straight into incoming/), so it
    /// waits, even if what is there so far reads fine.
    func handle(_ name: String, announced: Bool) {
        handle([(name, announced)])
    }

    /// Handles several names at once: those ready to be read are taken in
    /// together (``SpoolIntake/process(_:)``). A name listed twice is looked
    /// at once, announced if either listing was.
    func handle(_ names: [(name: String, announced: Bool)]) {
        guard !names.isEmpty else { return }
        // Nothing is read, moved or reported while storage is short: the
        // periodic rescan picks the files up once it is back.
        if storage?.pausesWork == true { return }
        var order: [String] = []
        var announcedNames = Set<String>()
        var seen = Set<String>()
        for (name, announced) in names where !SpoolLayout.isIgnored(name) {
            if seen.insert(name).inserted { order.append(name) }
            if announced { announcedNames.insert(name) }
        }
        var requests: [SpoolIntake.Request] = []
        var identities: [String: FileIdentity] = [:]
        let now = intake.clock.now
        for name in order {
            guard let (identity, settled) = decide(name, announced: announcedNames.contains(name), now: now) else { continue }
            identities[name] = identity
            requests.append(SpoolIntake.Request(name: name, settled: settled))
        }
        guard !requests.isEmpty else { return }
        for outcome in intake.process(requests) {
            guard let identity = identities[outcome.name] else { continue }
            apply(outcome, identity: identity, now: now)
        }
    }

    /// Whether `name` is to be read now, and whether it has settled; nil
    /// when it is gone, stuck or must wait.
    private func decide(_ name: String, announced: Bool, now: Date) -> (FileIdentity, settled: Bool)? {
        let path = intake.layout.incoming + "/" + name
        guard let identity = FileIdentity.of(path: path, name: name) else {
            pending[name] = nil
            stuck[name] = nil
            return nil
        }
        if let left = stuck[name] {
            guard left != identity else { return nil }
            stuck[name] = nil
        }
        var isSettled = false
        if var waiting = pending[name] {
            if waiting.identity != identity {
                waiting.identity = identity
                waiting.stableSince = now
                pending[name] = waiting
            }
            isSettled = now.timeIntervalSince(waiting.stableSince) >= settle.timeInterval
        } else {
            isSettled = now.timeIntervalSince(identity.modified) >= settle.timeInterval
            if !announced, !isSettled {
                pending[name] = Pending(identity: identity, stableSince: now, cause: .recentlyModified)
                return nil
            }
        }
        if !announced, !isSettled, pending[name]?.cause == .recentlyModified {
            return nil
        }
        return (identity, isSettled)
    }

    private func apply(_ outcome: SpoolIntake.Outcome, identity: FileIdentity, now: Date) {
        let name = outcome.name
        let path = intake.layout.incoming + "/" + name
        switch outcome.result {
        case .success(.notReady(let reason)):
            if pending[name] == nil {
                pending[name] = Pending(identity: identity, stableSince: now, cause: .notReadable(reason))
                intake.logger.debug("spool file not readable yet, waiting for it to settle", metadata: ["file": "\(name)", "reason": "\(reason)"])
            }
        case .success(let result):
            pending[name] = nil
            onProcessed(result)
        case .failure(let error as SpoolMoveError):
            pending[name] = nil
            stuck[name] = FileIdentity.of(path: path, name: name) ?? identity
            intake.logger.error("\(error)", metadata: ["file": "\(name)"])
        case .failure(let error):
            if storage?.recordFailure(error, at: intake.clock.now) == true { return }
            intake.logger.error("intake failed; the file stays in incoming/ and is retried", metadata: ["file": "\(name)", "error": "\(error)"])
        }
    }
}
