import CallSpoolCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func assignApplications(_ resolve: [JobType: String]) throws -> Int {
        try write { session in
            var assigned = 0
            for (type, app) in resolve {
                assigned += try session.changes("UPDATE job SET app = $1 WHERE app IS NULL AND type = $2", [app, type.rawValue])
            }
            return assigned
        }
    }

    public func jobsWithoutConfiguredApplication(_ configured: [String]) throws -> [String: Int] {
        try read { session in
            let arguments = PostgresArguments(configured.map { $0 as any PostgresBindable })
            let marks = configured.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            let rows = try session.rows(
                """
                SELECT COALESCE(app, '') AS app, COUNT(*) AS n FROM job
                WHERE state IN ('queued', 'dispatching', 'in_call', 'unknown') AND (app IS NULL OR app NOT IN (\(configured.isEmpty ? "''" : marks)))
                GROUP BY app
                """, arguments)
            return try Self.counts(rows)
        }
    }

    public func callsInProgressByApplication() throws -> [String: Int] {
        try read { session in
            try Self.counts(session.rows("SELECT COALESCE(app, '') AS app, COUNT(*) AS n FROM job WHERE state = 'in_call' GROUP BY app"))
        }
    }

    static func counts(_ rows: [PostgresRandomAccessRow]) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in rows { result[try row.value("app", as: String.self)] = Int(try row.value("n", as: Int64.self)) }
        return result
    }

    public func appStatuses() throws -> [AppStatusRecord] {
        try read { session in try session.records(AppStatusRecord.self, "SELECT * FROM appStatus ORDER BY app") }
    }

    public func appStatus(app: String) throws -> AppStatusRecord? {
        try read { session in try session.record(AppStatusRecord.self, "SELECT * FROM appStatus WHERE app = $1", [app]) }
    }

    /// The daemon's heartbeat, its applications' figures and this
    /// instance's row (name, version, when it last beat).
    public func beat(_ record: HeartbeatRecord, apps: [AppStatusRecord]) throws {
        try write { session in
            // The daemon's figures are the dispatcher's: an instance that
            // does not hold the lease records only its own row.
            if leadership?.isHeld ?? true {
                try session.upsert(record, into: "heartbeat", key: "id")
                for app in apps { try session.upsert(app, into: "appStatus", key: "app") }
            }
            try session.execute(
                """
                INSERT INTO instance (name, pid, version, address, startedAt, heartbeatAt) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, version = excluded.version, address = excluded.address,
                    startedAt = excluded.startedAt, heartbeatAt = excluded.heartbeatAt
                """, [settings.instance, record.pid, record.version, settings.address, record.startedAt, record.heartbeatAt])
        }
        // The heartbeat is the tick that reopens a lost listening connection.
        notifications.ensureListening()
    }

    public func heartbeat() throws -> HeartbeatRecord? {
        try read { session in try session.record(HeartbeatRecord.self, "SELECT * FROM heartbeat WHERE id = 1") }
    }

    public func probeWrite(now: Date) throws {
        try write { session in
            try session.execute(
                "INSERT INTO pause (scope, reason, code, until, createdAt) VALUES ('probe:storage', 'storage probe', NULL, $1, $1) ON CONFLICT (scope) DO NOTHING",
                [now])
            try session.execute("DELETE FROM pause WHERE scope = 'probe:storage'")
        }
    }

    /// PostgreSQL manages its own log: nothing to give back here.
    public func checkpointTruncatingWAL() throws -> Bool { true }
}

extension PostgresSession {
    /// Inserts `record`, or replaces the row with the same `key`.
    func upsert<Record: Encodable>(_ record: Record, into table: String, key: String) throws {
        let columns = try PostgresRecordEncoder.columns(of: record)
        let names = columns.map { PostgresSchema.quoted($0.name) }
        let marks = columns.indices.map { "$\($0 + 1)" }
        let updates = names.filter { $0 != PostgresSchema.quoted(key) }.map { "\($0) = excluded.\($0)" }
        try execute(
            "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(marks.joined(separator: ", "))) ON CONFLICT (\(key)) DO UPDATE SET \(updates.joined(separator: ", "))",
            PostgresArguments(columns.map(\.value)))
    }
}
