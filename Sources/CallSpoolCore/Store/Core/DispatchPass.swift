import Foundation
import VoiceCallAPI

/// ``DispatchTransaction`` over any driver's transaction: what the
/// scheduler records, decided by the store core (``StoreTransaction``'s
/// extensions), stored by the driver.
struct DispatchPass<Rows: StoreTransaction>: DispatchTransaction {
    let rows: Rows

    func callsHoldingPorts(app: String) throws -> Set<Int64> { try rows.callsHoldingPorts(app: app) }
    func activePauses(now: Date) throws -> [PauseScope: PauseRecord] { try rows.activePauses(now: now) }
    func pausedCampaigns() throws -> Set<String> { try rows.pausedCampaigns() }

    func runnableJobs(app: String, now: Date, limit: Int, verifyOnly: Bool) throws -> [JobRecord] {
        try rows.runnableJobs(app: app, now: now, limit: limit, verifyOnly: verifyOnly)
    }

    func postpone(_ job: inout JobRecord, until: Date, reason: String, now: Date) throws {
        try rows.postpone(&job, until: until, reason: reason, now: now)
    }

    func notifyCallsToCallee(_ callee: String, since: Date) throws -> (count: Int, oldest: Date?) {
        try rows.notifyCallsToCallee(callee, since: since)
    }

    func suppressions(of numbers: [String]) throws -> [SuppressionRecord] { try rows.suppressions(of: numbers) }

    func verifyCalls(toCallee callee: String, since: Date) throws -> Int { try rows.verifyCalls(toCallee: callee, since: since) }
    func verifyCalls(toPrefix prefix: String, since: Date) throws -> Int { try rows.verifyCalls(toPrefix: prefix, since: since) }
    func calls(ofApplication app: String, since: Date) throws -> Int { try rows.calls(ofApplication: app, since: since) }

    func refuse(_ job: inout JobRecord, ending: JobState, errorCode: String, errorDesc: String, now: Date) throws {
        try rows.refuse(&job, ending: ending, errorCode: errorCode, errorDesc: errorDesc, now: now)
    }

    func beginAttempt(_ job: inout JobRecord, displayNbr: String, fromPool: Bool, now: Date) throws -> DispatchTicket? {
        try rows.beginAttempt(&job, displayNbr: displayNbr, fromPool: fromPool, now: now)
    }

    func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try rows.setPause(scope, reason: reason, code: code, until: until, now: now)
    }

    func clearPause(_ scope: PauseScope) throws { try rows.clearPause(scope) }
    func setHalt(_ record: HaltRecord) throws { try rows.setHalt(record) }
    func clearHalt(app: String) throws { try rows.clearHalt(app: app) }

    func willRecordAnswers(_ answers: [(ticket: DispatchTicket, sessionId: String?)]) throws {
        try rows.willRecordAnswers(answers)
    }

    func recordAcceptance(_ ticket: DispatchTicket, acceptance: CallAcceptance, now: Date) throws -> [CallEndSignal] {
        try rows.recordAcceptance(ticket, acceptance: acceptance, now: now)
    }

    func recordFailure(
        _ ticket: DispatchTicket, httpStatus: Int?, resultcode: String?, resultDesc: String?, resultClass: String, disposition: Disposition,
        now: Date
    ) throws {
        try rows.recordFailure(
            ticket, httpStatus: httpStatus, resultcode: resultcode, resultDesc: resultDesc, resultClass: resultClass, disposition: disposition, now: now)
    }

    func isolated(_ body: () throws -> Void) throws { try rows.isolated(body) }
}

extension StoreDriver {
    /// One scheduling pass or batch of answers in one write transaction:
    /// everything `body` records commits together, or nothing does.
    public func dispatchTransaction<T>(_ body: (any DispatchTransaction) throws -> T) throws -> T {
        try writing { rows in
            try rows.checkLease()
            return try body(DispatchPass(rows: rows))
        }
    }

    public func recoverInterruptedDispatches(app: String, now: Date) throws -> Int {
        try writing { try $0.recoverInterruptedDispatches(app: app, now: now) }
    }

    public func expireQueuedJobs(now: Date, limit: Int) throws -> [Int64] {
        try writing { try $0.expireQueuedJobs(now: now, limit: limit) }
    }

    public func expireCallLeases(now: Date, lease: Duration) throws -> [Int64] {
        try writing { try $0.expireCallLeases(now: now, lease: lease) }
    }

    public func expireUnknownJobs(now: Date, limit: Int) throws -> [Int64] {
        try writing { try $0.expireUnknownJobs(now: now, limit: limit) }
    }

    public func requeueUnheardUnknownJobs(now: Date, after: Duration, receiverUpSince: Date, limit: Int) throws -> [String] {
        guard after > .zero else { return [] }
        return try writing { try $0.requeueUnheardUnknownJobs(now: now, after: after, receiverUpSince: receiverUpSince, limit: limit) }
    }
}
