import Foundation
import GRDB
import VoiceCallAPI

/// ``DispatchTransaction`` over one GRDB write transaction.
struct SQLiteDispatchTransaction: DispatchTransaction {
    let db: Database

    func callsHoldingPorts(app: String) throws -> Set<Int64> { try AppDatabase.portHoldingJobRowIds(app: app, in: db) }
    func activePauses(now: Date) throws -> [PauseScope: PauseRecord] { try AppDatabase.activePauses(now: now, in: db) }
    func pausedCampaigns() throws -> Set<String> { try AppDatabase.pausedCampaigns(in: db) }

    func runnableJobs(app: String, now: Date, limit: Int, verifyOnly: Bool) throws -> [JobRecord] {
        try AppDatabase.runnableJobs(app: app, now: now, limit: limit, verifyOnly: verifyOnly, in: db)
    }

    func postpone(_ job: inout JobRecord, until: Date, reason: String, now: Date) throws {
        try AppDatabase.postpone(&job, until: until, reason: reason, now: now, in: db)
    }

    func notifyCallsToCallee(_ callee: String, since: Date) throws -> (count: Int, oldest: Date?) {
        try AppDatabase.notifyCallsToCallee(callee, since: since, in: db)
    }

    func beginAttempt(_ job: inout JobRecord, displayNbr: String, fromPool: Bool, now: Date) throws -> DispatchTicket? {
        try AppDatabase.beginAttempt(&job, displayNbr: displayNbr, fromPool: fromPool, now: now, in: db)
    }

    func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try AppDatabase.setPause(scope, reason: reason, code: code, until: until, now: now, in: db)
    }

    func clearPause(_ scope: PauseScope) throws { try AppDatabase.clearPause(scope, in: db) }
    func setHalt(_ record: HaltRecord) throws { try AppDatabase.setHalt(record, in: db) }
    func clearHalt(app: String) throws { try AppDatabase.clearHalt(app: app, in: db) }

    func recordAcceptance(_ ticket: DispatchTicket, acceptance: CallAcceptance, now: Date) throws -> [CallEndSignal] {
        try AppDatabase.recordAcceptance(ticket, acceptance: acceptance, now: now, in: db)
    }

    func recordFailure(
        _ ticket: DispatchTicket, httpStatus: Int?, resultcode: String?, resultDesc: String?, resultClass: String,
        disposition: AppDatabase.Disposition, now: Date
    ) throws {
        try AppDatabase.recordFailure(
            ticket, httpStatus: httpStatus, resultcode: resultcode, resultDesc: resultDesc, resultClass: resultClass, disposition: disposition,
            now: now, in: db)
    }

    func isolated(_ body: () throws -> Void) throws {
        try db.inSavepoint {
            try body()
            return .commit
        }
    }
}

extension AppDatabase {
    /// Runs one scheduling pass or batch of answers in one write
    /// transaction: everything `body` records commits together, or nothing does.
    public func dispatchTransaction<T>(_ body: (any DispatchTransaction) throws -> T) throws -> T {
        try writer.write { db in try body(SQLiteDispatchTransaction(db: db)) }
    }
}
