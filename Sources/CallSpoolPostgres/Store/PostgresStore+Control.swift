import CallSpoolCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try write { session in try session.setPause(scope, reason: reason, code: code, until: until, now: now) }
    }

    public func clearPause(_ scope: PauseScope) throws {
        try write { session in try session.clearPause(scope) }
    }

    public func activePauses(now: Date) throws -> [PauseScope: PauseRecord] {
        try read { session in try session.activePauses(now: now) }
    }

    public func deleteEndedPauses(now: Date) throws {
        _ = try write { session in try session.execute("DELETE FROM pause WHERE until IS NOT NULL AND until <= $1", [now]) }
    }

    public func pauses() throws -> [PauseRecord] {
        try read { session in try session.records(PauseRecord.self, "SELECT * FROM pause ORDER BY scope") }
    }

    public func halts() throws -> [HaltRecord] {
        try read { session in try session.records(HaltRecord.self, "SELECT * FROM appHalt ORDER BY since, app") }
    }

    public func halt(app: String) throws -> HaltRecord? {
        try read { session in try session.record(HaltRecord.self, "SELECT * FROM appHalt WHERE app = $1", [app]) }
    }

    public func request(_ intent: ControlIntent, now: Date) throws -> Int64 {
        let argument = try intent.encoded()
        return try write { session in
            try session.scalar(
                Int64.self, "INSERT INTO intent (kind, argument, createdAt) VALUES ($1, $2, $3) RETURNING id", [intent.kind, argument, now]) ?? 0
        }
    }

    public func pendingIntents() throws -> [IntentRecord] {
        try read { session in try session.records(IntentRecord.self, "SELECT * FROM intent WHERE appliedAt IS NULL ORDER BY id") }
    }

    public func intent(id: Int64) throws -> IntentRecord? {
        try read { session in try session.record(IntentRecord.self, "SELECT * FROM intent WHERE id = $1", [id]) }
    }
}
