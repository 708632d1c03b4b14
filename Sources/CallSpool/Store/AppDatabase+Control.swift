import Foundation
import GRDB

/// Pause scopes as stored in `pause.scope`.
public enum PauseScope: Sendable, Hashable, CustomStringConvertible {
    /// Everything, by the operator (`callspool pause`), until resumed.
    case global
    /// Everything, for a while: the platform's flow control, SP/app frequency
    /// limits and call quotas. Its own scope so it never overwrites (and, on
    /// expiry, never lifts) an operator's pause.
    case flow
    /// Everything, until a port frees or the pause ends (1020154/1020165).
    case ports
    /// Everything: requests kept getting lost in transport (connections
    /// closed or reset after the request, answers that never came). Ends
    /// through one probe request.
    case transport
    /// Everything: free disk space below `store.min_free` (callbacks are still stored).
    case storage
    case campaign(String)
    case displayNumber(String)
    case callee(String)
    /// A flow, ports or transport pause of one application (`ports:otp`):
    /// it stops that application's dispatch, not the others'.
    indirect case application(String, PauseScope)

    /// `base` (flow, ports or transport) for application `app`. The single
    /// application of a configuration without `[apps]` keeps the plain
    /// scopes, so its stores and status read as before.
    public static func of(_ base: PauseScope, app: String) -> PauseScope {
        app == Configuration.Application.legacyName ? base : .application(app, base)
    }

    /// The scope without its application.
    public var base: PauseScope {
        if case .application(_, let base) = self { return base }
        return self
    }

    /// The application a scope belongs to (nil: every application).
    public var application: String? {
        if case .application(let app, _) = self { return app }
        return nil
    }

    public var description: String {
        switch self {
        case .global: "global"
        case .ports: "ports"
        case .flow: "flow"
        case .transport: "transport"
        case .storage: "storage"
        case .campaign(let name): "campaign:\(name)"
        case .displayNumber(let number): "display:\(number)"
        case .callee(let number): "callee:\(number)"
        case .application(let app, let base): "\(base.description):\(app)"
        }
    }

    public init?(_ text: String) {
        switch text {
        case "global": self = .global
        case "ports": self = .ports
        case "flow": self = .flow
        case "transport": self = .transport
        case "storage": self = .storage
        default:
            guard let colon = text.firstIndex(of: ":") else { return nil }
            let value = String(text[text.index(after: colon)...])
            switch text[..<colon] {
            case "campaign": self = .campaign(value)
            case "display": self = .displayNumber(value)
            case "callee": self = .callee(value)
            case "ports": self = .application(value, .ports)
            case "flow": self = .application(value, .flow)
            case "transport": self = .application(value, .transport)
            default: return nil
            }
        }
    }
}

extension AppDatabase {
    public func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date) throws {
        try writer.write { db in try Self.setPause(scope, reason: reason, code: code, until: until, now: now, in: db) }
    }

    static func setPause(_ scope: PauseScope, reason: String, code: String?, until: Date?, now: Date, in db: Database) throws {
        try PauseRecord(scope: scope.description, reason: reason, code: code, until: until, createdAt: now).save(db)
    }

    public func clearPause(_ scope: PauseScope) throws {
        try writer.write { db in try Self.clearPause(scope, in: db) }
    }

    static func clearPause(_ scope: PauseScope, in db: Database) throws {
        _ = try PauseRecord.deleteOne(db, key: scope.description)
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

    static func pausedCampaigns(in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM campaign WHERE paused = 1")))
    }

    /// Records a change asked for by the CLI; the daemon applies it.
    @discardableResult
    func addIntent(kind: String, argument: String, now: Date) throws -> Int64 {
        try writer.write { db in
            var intent = IntentRecord(kind: kind, argument: argument, createdAt: now)
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
