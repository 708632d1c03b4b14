import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// The applications' halts, oldest first.
    public func halts() throws -> [HaltRecord] {
        try reader.read { db in try HaltRecord.order(Column("since"), Column("app")).fetchAll(db) }
    }

    public func halt(app: String) throws -> HaltRecord? {
        try reader.read { db in try HaltRecord.fetchOne(db, key: app) }
    }

    public func appStatuses() throws -> [AppStatusRecord] {
        try reader.read { db in try AppStatusRecord.order(Column("app")).fetchAll(db) }
    }

    public func appStatus(app: String) throws -> AppStatusRecord? {
        try reader.read { db in try AppStatusRecord.fetchOne(db, key: app) }
    }

    /// Gives every job without an application (written before applications
    /// existed, or by a configuration that has changed) the one `resolve`
    /// names for its type; jobs naming an application that is no longer
    /// configured are left alone. Returns how many were assigned.
    ///
    /// Run at start, before any dispatcher: what a job will be sent with is
    /// settled once, in the store.
    @discardableResult
    public func assignApplications(_ resolve: [JobType: String]) throws -> Int {
        try writer.write { db in
            var assigned = 0
            for (type, app) in resolve {
                // Events and CDRs stored without an application apply to any job: nothing to assign there.
                try db.execute(sql: "UPDATE job SET app = ? WHERE app IS NULL AND type = ?", arguments: [app, type.rawValue])
                assigned += db.changesCount
            }
            return assigned
        }
    }

    /// Jobs in a call (`in_call`) per application.
    public func callsInProgressByApplication() throws -> [String: Int] {
        try reader.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT COALESCE(app, '') AS app, COUNT(*) AS n FROM job WHERE state = 'in_call' GROUP BY app")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["app"] as String, $0["n"] as Int) })
        }
    }

    /// Jobs still to be sent (queued, or in flight) whose application is not
    /// configured: nobody will send them until the configuration serves them.
    public func jobsWithoutConfiguredApplication(_ configured: [String]) throws -> [String: Int] {
        try reader.read { db in
            let marks = configured.map { _ in "?" }.joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT COALESCE(app, '') AS app, COUNT(*) AS n FROM job
                WHERE state IN ('queued', 'dispatching', 'in_call', 'unknown') AND (app IS NULL OR app NOT IN (\(configured.isEmpty ? "''" : marks)))
                GROUP BY app
                """, arguments: StatementArguments(configured))
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["app"] as String, $0["n"] as Int) })
        }
    }
}
