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
public actor Scheduler {
    public let database: any CallStore
    public private(set) var settings: SchedulerSettings
    let clock: any WallClock
    var random: AnyRandom
    let logger: Logger
    /// Requests by result class and code.
    let metrics: CallspoolMetrics

    var limiter: PortLimiter
    var bucket: TokenBucket
    var displayCounter: SlidingWindowCounter
    /// When each display number was last used, as a use sequence number (not
    /// a time: one pass stamps every request with the same `now`, which tied
    /// every number after two picks and sent the rest of the pass to one).
    var displayLastUsed: [String: UInt64] = [:]
    var displayUses: UInt64 = 0
    var inFlight = 0
    /// Jobs whose call holds a port (`in_call`): recounted from the store at
    /// every pass, added on acceptance, removed when the call ends. A set, so
    /// an end already seen by the recount is not subtracted twice (which
    /// would understate the ports in use and make the limiter learn a limit
    /// lower than the platform's).
    var inCall: Set<Int64> = []
    var callsInProgress: Int { inCall.count }
    public internal(set) var createdClock: CreatedClock
    var createdClockSwitched = false
    var portPushBacks = 0
    var flowPushBacks = 0
    /// Quota refusals (1013001–1013003) in a row per scope, for the growing
    /// pause; a scope's count is cleared by the next accepted call in it.
    var quotaPushBacks: [PauseScope: Int] = [:]
    var halt: HaltRecord?
    var probeInFlight = false
    var breaker = TransportBreaker()
    var reserve: VerifyReserve
    var reserveInForce: (ports: Int, reason: String) = (0, "not sized yet")
    /// When each verify call in progress was accepted, for its hold time.
    var verifyCallsStarted: [Int64: Date] = [:]
    var slowStart = SlowStart()
    /// A dispatch-wide pause (global, ports, transport) was in force at the
    /// last pass: when it ends, dispatch restarts slowly.
    var dispatchPaused = false
    /// The job whose request is the breaker's probe, while it is in flight.
    var transportProbe: Int64?
    var lastHousekeeping = Date.distantPast
    var lastUnknownReview = Date.distantPast
    private let executor = QueueExecutor(label: "callspool.scheduler")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    var warnedNoDisplayNumber = false
    /// A `ports` pause may be stored: the next call end clears it.
    var portsPauseSet = false

    public init(database: any CallStore, settings: SchedulerSettings, clock: any WallClock, random: AnyRandom = .system, logger: Logger = Logger(label: "callspool.scheduler"),
        metrics: CallspoolMetrics = .disabled
    ) {
        self.database = database
        self.metrics = metrics
        self.settings = settings
        self.clock = clock
        self.random = random
        self.logger = logger
        let now = clock.now
        limiter = PortLimiter(configuredMax: settings.limits.maxConcurrentCalls, verifyReserved: settings.limits.verifyReservedPorts)
        bucket = TokenBucket(rate: Double(settings.limits.requestsPerSecond), now: now)
        displayCounter = SlidingWindowCounter(window: 60, limit: settings.limits.perDisplayNumberPerMinute)
        createdClock = settings.createdClock.initial
        slowStart = SlowStart(startingNow: settings.slowStart)
        reserve = VerifyReserve(settings.limits)
        limiter.verifyReserved = reserve.mode == .auto || !settings.appServesBoth ? 0 : settings.limits.verifyReservedPorts
    }

    /// Start-up: in-flight requests of a previous run become `unknown` (never
    /// re-sent), ports in use are recounted from `in_call` jobs, a stored halt
    /// and the learned `Created` convention are picked up.
    public func start() throws {
        let now = clock.now
        let recovered = try database.recoverInterruptedDispatches(app: settings.app, now: now)
        if recovered > 0 {
            logger.warning("jobs were in flight when the daemon stopped; they are now unknown and will be reconciled by callbacks", metadata: ["jobs": "\(recovered)"])
        }
        halt = try database.halt(app: settings.app)
        if try database.pauses().contains(where: { $0.scope == settings.scope(.transport).description }) { breaker.restoreOpen() }
        portsPauseSet = try database.activePauses(now: now)[settings.scope(.ports)] != nil
        if settings.createdClock == .auto, let learned = try database.appStatus(app: settings.app)?.createdClock, let convention = CreatedClock(rawValue: learned) {
            createdClock = convention
            createdClockSwitched = true
        }
        try recount()
        for (rowID, createdAt) in try database.verifyArrivals(app: settings.app, since: now.addingTimeInterval(-reserve.window)) {
            reserve.sawVerifyJob(rowID, createdAt: createdAt)
        }
        resizeReserve(now: now)
    }

    /// Applies a reload of `[limits]`, `[backoff]`, `[defaults]`.
    public func reconfigure(_ new: SchedulerSettings) {
        settings = new
        limiter.reconfigure(configuredMax: new.limits.maxConcurrentCalls, verifyReserved: limiter.verifyReserved)
        reserve.reconfigure(new.limits)
        resizeReserve(now: clock.now)
        bucket.rate = Double(new.limits.requestsPerSecond)
        bucket.capacity = Double(new.limits.requestsPerSecond)
        displayCounter.limit = new.limits.perDisplayNumberPerMinute
    }

    /// Figures for `status`, metrics and the heartbeat.
    public var portFigures: (inUse: Int, effectiveLimit: Int, configured: Int, reserve: Int) {
        (limiter.inUse, limiter.effectiveLimit, settings.limits.maxConcurrentCalls, limiter.verifyReserved)
    }

    /// The verify reserve in force and why (for `status` and metrics).
    public var reserveFigure: (ports: Int, reason: String) { reserveInForce }

    func recount() throws {
        inCall = try database.portHoldingJobRowIds(app: settings.app)
        syncPortsInUse()
    }

    /// Ports in use = calls in progress + requests in flight.
    func syncPortsInUse() {
        limiter.setInUse(inCall.count + inFlight)
    }

    /// One scheduling pass. Returns the requests to send now and when the
    /// next pass is due at the latest (sooner if something is signalled).
    ///
    /// The whole pass — reading the page, postponing what may not go, moving
    /// what goes to `dispatching` with its attempt row — is one transaction,
    /// so a pass of 64 requests costs one commit, not 64. When it fails, the
    /// in-memory limits are put back as they were: nothing was committed.
    public func tick() throws -> (tickets: [DispatchTicket], wakeAt: Date) {
        let now = clock.now
        if now.timeIntervalSince(lastHousekeeping) >= 0.5 {
            lastHousekeeping = now
            try housekeeping(now: now)
        }
        let saved = memory
        do {
            return try database.dispatchTransaction { tx in try pass(now: now, in: tx) }
        } catch {
            memory = saved
            throw error
        }
    }

    func pass(now: Date, in tx: any DispatchTransaction) throws -> (tickets: [DispatchTicket], wakeAt: Date) {
        var wakeAt = now.addingTimeInterval(1)
        inCall = try tx.callsHoldingPorts(app: settings.app)
        syncPortsInUse()
        if let halt {
            guard now >= halt.probeAt, !probeInFlight else { return ([], min(wakeAt, max(now, halt.probeAt))) }
        }
        let pauses = try tx.activePauses(now: now)
        if let global = pauses[.global] ?? pauses[settings.scope(.flow)] ?? pauses[settings.scope(.ports)] ?? pauses[settings.scope(.transport)] ?? pauses[.storage] {
            if let until = global.until { wakeAt = min(wakeAt, until) }
            dispatchPaused = true
            return ([], wakeAt)
        }
        if dispatchPaused {
            dispatchPaused = false
            if settings.slowStart { slowStart.restart() }
        }
        // A tripped transport breaker whose pause is over: one probe alone.
        if breaker.isOpen, transportProbe != nil { return ([], wakeAt) }
        let pausedCampaigns = try tx.pausedCampaigns()
        var tickets: [DispatchTicket] = []
        var postponed = Set<Int64>()
        let probing = halt != nil
        scan: while limiter.canAcquire(forVerify: true), inFlight < settings.maxInFlight, slowStart.allows(inFlight: inFlight) {
            let verifyOnly = !limiter.canAcquire(forVerify: false)
            // Read about what can go now (twice that, for jobs that turn out
            // to be postponed), not a whole page each time.
            let slots = min(limiter.available(forVerify: true), settings.maxInFlight - inFlight)
            let limit = min(settings.pageSize, max(16, 2 * slots))
            let page = try tx.runnableJobs(app: settings.app, now: now, limit: limit, verifyOnly: verifyOnly)
                .filter { !postponed.contains($0.rowId ?? -1) }
            if page.isEmpty { break }
            var progressed = false
            for var job in page {
                guard let rowID = job.rowId else { continue }
                let isVerify = job.type == .verify
                if isVerify, reserve.arrivals[rowID] == nil {
                    reserve.sawVerifyJob(rowID, createdAt: job.createdAt)
                    resizeReserve(now: now)
                }
                guard inFlight < settings.maxInFlight, slowStart.allows(inFlight: inFlight) else { break scan }
                guard limiter.canAcquire(forVerify: isVerify) else {
                    if isVerify { break scan }
                    continue
                }
                if let campaign = job.campaign, pausedCampaigns.contains(campaign) {
                    postponed.insert(rowID)
                    continue
                }
                if let until = try gate(job, pauses: pauses, now: now, in: tx) {
                    try tx.postpone(&job, until: until.date, reason: until.reason, now: now)
                    postponed.insert(rowID)
                    progressed = true
                    continue
                }
                guard let display = chooseDisplayNumber(for: job, pauses: pauses, now: now) else {
                    let retry = nextDisplayAvailability(own: job.displayNbr, pauses: pauses, now: now)
                    try tx.postpone(&job, until: retry, reason: "no display number available", now: now)
                    postponed.insert(rowID)
                    progressed = true
                    continue
                }
                guard bucket.take(now: now) else {
                    wakeAt = min(wakeAt, bucket.nextToken(now: now))
                    break scan
                }
                // Nil: the job could not go (an undecodable payload fails it): the pass moved on.
                guard let ticket = try tx.beginAttempt(&job, displayNbr: display.number, fromPool: display.fromPool, now: now) else {
                    progressed = true
                    continue
                }
                limiter.acquire()
                inFlight += 1
                displayCounter.record(display.number, at: now)
                displayUses += 1
                displayLastUsed[display.number] = displayUses
                tickets.append(ticket)
                postponed.insert(rowID)
                progressed = true
                if breaker.isOpen {
                    transportProbe = rowID
                    logger.notice("transport pause over: sending one probe request", metadata: ["job": "\(LogRedaction.maskPhoneNumbers(in: job.jobId))"])
                    break scan
                }
                if probing {
                    probeInFlight = true
                    logger.notice("halted: sending one probe request", metadata: ["job": "\(LogRedaction.maskPhoneNumbers(in: job.jobId))", "app": "\(settings.app)"])
                    break scan
                }
            }
            if !progressed { break }
        }
        return (tickets, wakeAt)
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

    struct Postponement {
        var date: Date
        var reason: String
    }

    /// Why a job may not go now, and until when; nil when it may.
    func gate(_ job: JobRecord, pauses: [PauseScope: PauseRecord], now: Date, in tx: any DispatchTransaction) throws -> Postponement? {
        let window = job.window ?? (job.type == .notify ? settings.defaults.window : nil)
        if let window, !window.contains(now) {
            return Postponement(date: window.nextOpening(after: now), reason: "outside its calling window \(window.startText)–\(window.endText) \(window.timeZone)")
        }
        if let pause = pauses[.callee(job.calleeNbr)] {
            return Postponement(date: pause.until ?? now.addingTimeInterval(settings.backoff.callee.timeInterval), reason: "callee paused: \(pause.reason)")
        }
        let windowStart = now.addingTimeInterval(-settings.limits.perCalleeWindow.timeInterval)
        let calls = try tx.callsToCallee(job.calleeNbr, since: windowStart)
        if calls.count >= settings.limits.perCalleeMax {
            let free = (calls.oldest ?? now).addingTimeInterval(settings.limits.perCalleeWindow.timeInterval + 1)
            return Postponement(date: free, reason: "callee already called \(calls.count) times in \(DurationText.format(settings.limits.perCalleeWindow)) (limits.per_callee_max)")
        }
        return nil
    }

    /// The job's own display number when usable, else the least recently used
    /// number of the pool that is neither paused nor at its per-minute limit.
    func chooseDisplayNumber(for job: JobRecord, pauses: [PauseScope: PauseRecord], now: Date) -> (number: String, fromPool: Bool)? {
        if let own = job.displayNbr {
            guard pauses[.displayNumber(own)] == nil, displayCounter.allows(own, now: now) else { return nil }
            return (own, false)
        }
        let pool = settings.defaults.displayNumbers
        if pool.isEmpty, !warnedNoDisplayNumber {
            warnedNoDisplayNumber = true
            logger.error("a job has no displayNbr and defaults.display_numbers is empty; such jobs wait until one is configured (reload with SIGHUP)")
        }
        let usable = pool.filter { pauses[.displayNumber($0)] == nil && displayCounter.allows($0, now: now) }
        guard let pick = usable.min(by: { (displayLastUsed[$0] ?? 0) < (displayLastUsed[$1] ?? 0) }) else { return nil }
        return (pick, true)
    }

    func nextDisplayAvailability(own: String?, pauses: [PauseScope: PauseRecord], now: Date) -> Date {
        let pool = own.map { [$0] } ?? settings.defaults.displayNumbers
        guard !pool.isEmpty else { return now.addingTimeInterval(300) }
        let times = pool.map { number -> Date in
            let paused = pauses[.displayNumber(number)]?.until ?? now
            return max(paused, displayCounter.nextAllowed(number, now: now))
        }
        return max(now.addingTimeInterval(1), times.min() ?? now.addingTimeInterval(60))
    }
}

extension PortLimiter {
    /// Sets the ports in use from the store's count plus requests in flight.
    mutating func setInUse(_ count: Int) {
        while inUse < count { acquire() }
        while inUse > count { release() }
    }
}
