import Foundation
import Logging
import VoiceCallAPI

/// The one owner of dispatch decisions (docs/result-codes.md, docs/scheduling.md).
///
/// `tick()` picks runnable jobs in order (verify, priority, age) within every
/// limit — ports (with the verify reserve), requests per second, display
/// numbers per minute, calls per callee, calling windows, pauses, halts — and
/// commits each as `dispatching` with its attempt row before handing back a
/// ``DispatchTicket``. `complete(_:with:)` records what the platform said and
/// decides retries, pauses and halts. The actor does no network I/O, so every
/// decision is tested with a manual clock and a fake placer.
///
/// Both work in three steps: plan, commit, apply. Inside the store's
/// transaction a ``DispatchPlanner`` reads and records through the
/// ``DispatchTransaction`` and works out, on its own copy of the
/// ``SchedulerState``, what the pass or the answers change (ports, tokens,
/// pauses, halts, push-backs, the learned limit); only after the commit has
/// returned does the actor take that state and emit the plan's log lines and
/// metrics (``apply(_:)``). The actor's memory is never changed inside a
/// transaction, so a commit that fails (full disk) leaves it exactly as it
/// was and the next try starts from there.
public actor Scheduler {
    public let database: any CallStore
    public private(set) var settings: SchedulerSettings
    let clock: any WallClock
    let logger: Logger
    /// Requests by result class and code.
    let metrics: CallspoolMetrics

    /// Everything remembered between passes. Changed outside transactions
    /// (start-up, reloads, call ends, housekeeping) or by ``apply(_:)``
    /// after a transaction committed; never inside one.
    var state: SchedulerState
    /// The `Created` convention requests are signed with (learned in `auto` mode).
    public var createdClock: CreatedClock { state.createdClock }
    var lastHousekeeping = Date.distantPast
    var lastUnknownReview = Date.distantPast
    private let executor = QueueExecutor(label: "callspool.scheduler")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(database: any CallStore, settings: SchedulerSettings, clock: any WallClock, random: AnyRandom = .system, logger: Logger = Logger(label: "callspool.scheduler"),
        metrics: CallspoolMetrics = .disabled
    ) {
        self.database = database
        self.metrics = metrics
        self.settings = settings
        self.clock = clock
        self.logger = logger
        state = SchedulerState(settings: settings, now: clock.now, random: random)
    }

    /// Start-up: in-flight requests of a previous run become `unknown` (never
    /// re-sent), ports in use are recounted from `in_call` jobs, a stored halt
    /// and the learned `Created` convention are picked up.
    public func start() throws {
        let now = clock.now
        let recovered = try database.recoverInterruptedDispatches(app: settings.app, now: now)
        if recovered > 0 {
            logger.warning("jobs were in flight when the daemon stopped; they are now unknown and will be reconciled by callbacks", metadata: ["jobs": "\(recovered)"])
            // Callbacks that came while they were `dispatching` waited for
            // their answer; they apply now (the recount below sees the result).
            _ = try database.reconcilePendingEvents(now: now)
        }
        state.halt = try database.halt(app: settings.app)
        if try database.pauses().contains(where: { $0.scope == settings.scope(.transport).description }) { state.breaker.restoreOpen() }
        state.portsPauseSet = try database.activePauses(now: now)[settings.scope(.ports)] != nil
        if settings.createdClock == .auto, let learned = try database.appStatus(app: settings.app)?.createdClock, let convention = CreatedClock(rawValue: learned) {
            state.createdClock = convention
            state.remembered.createdClockSwitched = true
        }
        try recount()
        for (rowID, createdAt) in try database.verifyArrivals(app: settings.app, since: now.addingTimeInterval(-state.reserve.window)) {
            state.reserve.sawVerifyJob(rowID, createdAt: createdAt)
        }
        resizeReserve(now: now)
    }

    /// A new term as the dispatcher (several instances on one store): what
    /// this scheduler remembered from an earlier term is dropped, so the
    /// next ``start()`` reads everything from the store as at a daemon start.
    public func beginTerm() {
        state = SchedulerState(settings: settings, now: clock.now, random: state.random)
        // The port limit the previous dispatcher learned from the platform's
        // push-backs (its last heartbeat); unreadable: the configured one.
        if let learned = try? database.appStatus(app: settings.app)?.effectivePortLimit { state.limiter.resume(learned: learned) }
    }

    /// Applies a reload of `[limits]`, `[backoff]`, `[defaults]`.
    public func reconfigure(_ new: SchedulerSettings) {
        settings = new
        state.limiter.reconfigure(configuredMax: new.limits.maxConcurrentCalls, verifyReserved: state.limiter.verifyReserved)
        state.reserve.reconfigure(new.limits)
        resizeReserve(now: clock.now)
        state.bucket.rate = Double(new.limits.requestsPerSecond)
        state.bucket.capacity = Double(new.limits.requestsPerSecond)
        state.displayCounter.limit = new.limits.perDisplayNumberPerMinute
    }

    /// Storage came back after a halt: dispatch restarts with one request.
    public func storageRecovered() {
        if settings.slowStart { state.slowStart.restart() }
    }

    /// Figures for `status`, metrics and the heartbeat.
    public var portFigures: (inUse: Int, effectiveLimit: Int, configured: Int, reserve: Int) {
        (state.limiter.inUse, state.limiter.effectiveLimit, settings.limits.maxConcurrentCalls, state.limiter.verifyReserved)
    }

    /// The verify reserve in force and why (for `status` and metrics).
    public var reserveFigure: (ports: Int, reason: String) { state.reserveInForce }

    func recount() throws {
        state.inCall = try database.portHoldingJobRowIds(app: settings.app)
        state.syncPortsInUse()
    }

    /// Sizes the verify reserve (see ``SchedulerState/resizeReserve(now:settings:)``).
    func resizeReserve(now: Date) {
        if let note = state.resizeReserve(now: now, settings: settings) { announce(note) }
    }

    /// One scheduling pass. Returns the requests to send now and when the
    /// next pass is due at the latest (sooner if something is signalled).
    ///
    /// The whole pass — reading the page, postponing what may not go, moving
    /// what goes to `dispatching` with its attempt row — is one transaction,
    /// so a pass of 64 requests costs one commit, not 64. It is planned by a
    /// ``DispatchPlanner`` on a copy of the scheduler's memory and applied
    /// after the commit: when the commit fails, no port, token, display-number
    /// use or probe of the pass was counted, and the next pass runs as if it
    /// had never been tried.
    public func tick() throws -> (tickets: [DispatchTicket], wakeAt: Date) {
        let now = clock.now
        if now.timeIntervalSince(lastHousekeeping) >= 0.5 {
            lastHousekeeping = now
            try housekeeping(now: now)
        }
        let planner = DispatchPlanner(settings: settings, state: state)
        let plan = try database.dispatchTransaction { tx in
            var planner = planner
            let pass = try planner.pass(now: now, in: tx)
            return planner.plan(pass)
        }
        apply(plan)
        return plan.value
    }

    /// Takes a committed plan: the memory it computed replaces the
    /// scheduler's, and its log lines and metrics are emitted. Called only
    /// after ``CallStore/dispatchTransaction(_:)`` returned.
    func apply<Value>(_ plan: SchedulerPlan<Value>) {
        state = plan.state
        for note in plan.notes { announce(note) }
    }

    func announce(_ note: SchedulerNote) {
        switch note {
        case .log(let level, let message, let metadata): logger.log(level: level, message, metadata: metadata)
        case .request(let result): countRequest(result)
        case .transportTrip: metrics.countTransportTrip()
        case .displayNumberRetired(let code): metrics.countDisplayNumberRetirement(code: code)
        case .guardRefusal(let limit):
            if limit == "suppressed" { metrics.countSuppressed(stage: "dispatch") } else { metrics.countGuardRefusal(app: settings.app, limit: limit) }
        }
    }

    /// Expiry, call leases, CLI intents.
    func housekeeping(now: Date) throws {
        resizeReserve(now: now)
        guard settings.housekeeping else { return }
        try database.deleteEndedPauses(now: now)
        let expired = try database.expireQueuedJobs(now: now)
        if !expired.isEmpty { logger.info("jobs expired before they could be sent", metadata: ["jobs": "\(expired.count)"]) }
        let lost = try database.expireCallLeases(now: now, lease: settings.limits.callLease)
        if !lost.isEmpty { logger.warning("calls without disconnect or CDR within the lease are now unknown", metadata: ["jobs": "\(lost.count)"]) }
        if now.timeIntervalSince(lastUnknownReview) >= 60 {
            lastUnknownReview = now
            try requeueUnheardUnknownJobs(now: now)
        }
        let applied = try database.applyPendingIntents(now: now) { [settings] type in type == .verify ? settings.defaults.verifyTTL : settings.defaults.notifyTTL }
        for summary in applied { logger.notice("applied operator request", metadata: ["result": "\(summary)"]) }
    }
}
