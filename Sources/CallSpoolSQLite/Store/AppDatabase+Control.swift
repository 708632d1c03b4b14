import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    public func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try writing { try $0.setPause(scope, reason: reason, code: code, until: until, now: now) }
    }

    public func clearPause(_ scope: PauseScope) throws {
        try writing { try $0.clearPause(scope) }
    }

    /// Pauses in force at `now` (a read: the scheduler asks on every pass).
    public func activePauses(now: Date) throws -> [PauseScope: PauseRecord] {
        try reader.read { db in try Self.activePauses(now: now, in: db) }
    }

    static func activePauses(now: Date, in db: Database) throws -> [PauseScope: PauseRecord] {
        var result: [PauseScope: PauseRecord] = [:]
        let statement = try db.cachedStatement(sql: "SELECT * FROM pause WHERE until IS NULL OR until > ?")
        for record in try PauseRecord.fetchAll(statement, arguments: [now.timeIntervalSince1970]) {
            if let scope = PauseScope(record.scope) { result[scope] = record }
        }
        return result
    }

    /// Deletes pauses that have ended (housekeeping).
    public func deleteEndedPauses(now: Date) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM pause WHERE until IS NOT NULL AND until <= ?", arguments: [now.timeIntervalSince1970])
        }
    }

    /// Records an operator's request (cancel, retry, pause, resume); the daemon applies it.
    @discardableResult
    public func request(_ intent: ControlIntent, now: Date) throws -> Int64 {
        let argument = try intent.encoded()
        return try writer.write { db in
            var intent = IntentRecord(kind: intent.kind, argument: argument, createdAt: now)
            try intent.insert(db)
            return intent.id ?? 0
        }
    }

    public func pendingIntents() throws -> [IntentRecord] {
        try reader.read { db in try IntentRecord.filter(sql: "appliedAt IS NULL").order(sql: "id").fetchAll(db) }
    }

    public func intent(id: Int64) throws -> IntentRecord? {
        try reader.read { db in try IntentRecord.fetchOne(db, key: id) }
    }
}
