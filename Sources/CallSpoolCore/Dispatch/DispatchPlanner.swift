import Foundation
import Logging
import VoiceCallAPI

/// Plans one scheduling pass or one batch of the platform's answers inside
/// the store's transaction: it reads and records through the
/// ``DispatchTransaction``, takes its decisions from ``DispatchPolicy`` and
/// the limits, and keeps what they change in its own copy of the
/// ``SchedulerState`` (a decision later in the pass sees the ports and
/// tokens taken by the earlier ones).
///
/// It exists to keep the scheduler's memory out of the transaction: a
/// planner is a value that never sees the ``Scheduler`` actor, so nothing it
/// decides reaches the actor until the actor applies the resulting
/// ``SchedulerPlan`` after the commit. Plan, commit, apply: a failed commit
/// leaves nothing to undo.
struct DispatchPlanner {
    let settings: SchedulerSettings
    var state: SchedulerState
    /// Log lines and metrics, emitted after the commit.
    var notes: [SchedulerNote] = []

    init(settings: SchedulerSettings, state: SchedulerState) {
        self.settings = settings
        self.state = state
    }

    /// The plan so far, carrying `value`.
    func plan<Value>(_ value: Value) -> SchedulerPlan<Value> {
        SchedulerPlan(value: value, state: state, notes: notes)
    }

    mutating func log(_ level: Logger.Level, _ message: Logger.Message, _ metadata: Logger.Metadata = [:]) {
        notes.append(.log(level, message, metadata))
    }

    /// One scheduling pass: reads the page, postpones what may not go, moves
    /// what goes to `dispatching` with its attempt row, and counts the ports,
    /// tokens and display-number uses taken in the planner's state. Returns
    /// the requests to send and when the next pass is due at the latest.
    mutating func pass(now: Date, in tx: any DispatchTransaction) throws -> (tickets: [DispatchTicket], wakeAt: Date) {
        var wakeAt = now.addingTimeInterval(1)
        let held = state.inCall
        state.inCall = try tx.callsHoldingPorts(app: settings.app)
        // A call the recount no longer finds has ended (its signal may come
        // after this pass): the limiter hears of it now.
        if !held.isSubset(of: state.inCall) { state.limiter.callEnded(at: now) }
        state.syncPortsInUse()
        if let halt = state.halt {
            guard now >= halt.probeAt, !state.probeInFlight else { return ([], min(wakeAt, max(now, halt.probeAt))) }
        }
        let pauses = try tx.activePauses(now: now)
        if let global = pauses[.global] ?? pauses[settings.scope(.flow)] ?? pauses[settings.scope(.ports)] ?? pauses[settings.scope(.transport)] ?? pauses[.storage] {
            if let until = global.until { wakeAt = min(wakeAt, until) }
            state.dispatchPaused = true
            return ([], wakeAt)
        }
        if state.dispatchPaused {
            state.dispatchPaused = false
            if settings.slowStart { state.slowStart.restart() }
        }
        // A tripped transport breaker whose pause is over: one probe alone.
        if state.breaker.isOpen, state.transportProbe != nil { return ([], wakeAt) }
        let pausedCampaigns = try tx.pausedCampaigns()
        var tickets: [DispatchTicket] = []
        var postponed = Set<Int64>()
        let probing = state.halt != nil
        scan: while state.limiter.canAcquire(forVerify: true), state.inFlight < settings.maxInFlight, state.slowStart.allows(inFlight: state.inFlight) {
            let verifyOnly = !state.limiter.canAcquire(forVerify: false)
            // Read about what can go now (twice that, for jobs that turn out
            // to be postponed), not a whole page each time.
            let slots = min(state.limiter.available(forVerify: true), settings.maxInFlight - state.inFlight)
            let limit = min(settings.pageSize, max(16, 2 * slots))
            let page = try tx.runnableJobs(app: settings.app, now: now, limit: limit, verifyOnly: verifyOnly)
                .filter { !postponed.contains($0.rowId ?? -1) }
            if page.isEmpty { break }
            let listed = try listedCallees(of: page, in: tx)
            var progressed = false
            for var job in page {
                guard let rowID = job.rowId else { continue }
                let isVerify = job.type == .verify
                if isVerify, state.reserve.arrivals[rowID] == nil {
                    state.reserve.sawVerifyJob(rowID, createdAt: job.createdAt)
                    if let note = state.resizeReserve(now: now, settings: settings) { notes.append(note) }
                }
                guard state.inFlight < settings.maxInFlight, state.slowStart.allows(inFlight: state.inFlight) else { break scan }
                guard state.limiter.canAcquire(forVerify: isVerify) else {
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
                switch try guardVerdict(for: job, listed: listed, now: now, in: tx) {
                case .go:
                    break
                case .wait(let until, let reason):
                    try tx.postpone(&job, until: until, reason: reason, now: now)
                    postponed.insert(rowID)
                    progressed = true
                    continue
                case .refuse(let end, let code, let description, let limit):
                    try tx.refuse(&job, ending: end, errorCode: code, errorDesc: description, now: now)
                    notes.append(.guardRefusal(limit: limit))
                    log(.notice, "job not called: \(limit)", ["job": "\(LogRedaction.maskPhoneNumbers(in: job.jobId))", "app": "\(settings.app)"])
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
                guard state.bucket.take(now: now) else {
                    wakeAt = min(wakeAt, state.bucket.nextToken(now: now))
                    break scan
                }
                // Nil: the job could not go (an undecodable payload fails it): the pass moved on.
                guard let ticket = try tx.beginAttempt(&job, displayNbr: display.number, fromPool: display.fromPool, now: now) else {
                    progressed = true
                    continue
                }
                state.limiter.acquire()
                state.inFlight += 1
                countDailyCall()
                state.displayCounter.record(display.number, at: now)
                state.displayUses += 1
                state.displayLastUsed[display.number] = state.displayUses
                tickets.append(ticket)
                postponed.insert(rowID)
                progressed = true
                if state.breaker.isOpen {
                    state.transportProbe = rowID
                    log(.notice, "transport pause over: sending one probe request", ["job": "\(LogRedaction.maskPhoneNumbers(in: job.jobId))"])
                    break scan
                }
                if probing {
                    state.probeInFlight = true
                    log(.notice, "halted: sending one probe request", ["job": "\(LogRedaction.maskPhoneNumbers(in: job.jobId))", "app": "\(settings.app)"])
                    break scan
                }
            }
            if !progressed { break }
        }
        return (tickets, wakeAt)
    }

    struct Postponement {
        var date: Date
        var reason: String
    }

    /// Why a job may not go now, and until when; nil when it may.
    mutating func gate(_ job: JobRecord, pauses: [PauseScope: PauseRecord], now: Date, in tx: any DispatchTransaction) throws -> Postponement? {
        let window = job.window ?? (job.type == .notify ? settings.defaults.window : nil)
        if let window, !window.contains(now) {
            return Postponement(date: window.nextOpening(after: now), reason: "outside its calling window \(window.summary)")
        }
        if let pause = pauses[.callee(job.calleeNbr)] {
            return Postponement(date: pause.until ?? now.addingTimeInterval(settings.backoff.callee.timeInterval), reason: "callee paused: \(pause.reason)")
        }
        // Only notify jobs are counted and gated: a login code is wanted now,
        // whatever reminders the person got today.
        guard job.type == .notify else { return nil }
        let windowStart = now.addingTimeInterval(-settings.limits.perCalleeWindow.timeInterval)
        let calls = try tx.notifyCallsToCallee(job.calleeNbr, since: windowStart)
        if calls.count >= settings.limits.perCalleeMax {
            let free = (calls.oldest ?? now).addingTimeInterval(settings.limits.perCalleeWindow.timeInterval + 1)
            return Postponement(date: free, reason: "callee already called \(calls.count) times in \(DurationText.format(settings.limits.perCalleeWindow)) (limits.per_callee_max)")
        }
        return nil
    }

    /// The job's own display number when usable, else the least recently used
    /// number of the pool that is neither paused nor at its per-minute limit.
    mutating func chooseDisplayNumber(for job: JobRecord, pauses: [PauseScope: PauseRecord], now: Date) -> (number: String, fromPool: Bool)? {
        if let own = job.displayNbr {
            guard pauses[.displayNumber(own)] == nil, state.displayCounter.allows(own, now: now) else { return nil }
            return (own, false)
        }
        let pool = settings.defaults.displayNumbers
        if pool.isEmpty, !state.warnedNoDisplayNumber {
            state.warnedNoDisplayNumber = true
            log(.error, "a job has no displayNbr and defaults.display_numbers is empty; such jobs wait until one is configured (reload with SIGHUP)")
        }
        let usable = pool.filter { pauses[.displayNumber($0)] == nil && state.displayCounter.allows($0, now: now) }
        guard let pick = usable.min(by: { (state.displayLastUsed[$0] ?? 0) < (state.displayLastUsed[$1] ?? 0) }) else { return nil }
        return (pick, true)
    }

    mutating func nextDisplayAvailability(own: String?, pauses: [PauseScope: PauseRecord], now: Date) -> Date {
        let pool = own.map { [$0] } ?? settings.defaults.displayNumbers
        guard !pool.isEmpty else { return now.addingTimeInterval(300) }
        let times = pool.map { number -> Date in
            let paused = pauses[.displayNumber(number)]?.until ?? now
            return max(paused, state.displayCounter.nextAllowed(number, now: now))
        }
        return max(now.addingTimeInterval(1), times.min() ?? now.addingTimeInterval(60))
    }
}
