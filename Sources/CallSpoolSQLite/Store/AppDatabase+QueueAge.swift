import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// For each job type, since when its oldest due queued job has been
    /// waiting: the later of its creation and its next attempt time, among
    /// queued jobs whose next attempt time has come. A type with no due job
    /// is absent. Feeds the queue-age gauge, so an alert can tell a verify
    /// code stuck behind something from jobs that wait on purpose (a calling
    /// window, a redial interval).
    public func oldestDueQueued(now: Date) throws -> [JobType: Date] {
        try reader.read { db in
            var result: [JobType: Date] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT type, MIN(MAX(createdAt, nextAttemptAt)) AS since FROM job
                WHERE state = 'queued' AND nextAttemptAt <= ? GROUP BY type
                """, arguments: [now.timeIntervalSince1970])
            for row in rows {
                guard let type = JobType(rawValue: row["type"]), let since: Double = row["since"] else { continue }
                result[type] = Date(timeIntervalSince1970: since)
            }
            return result
        }
    }
}
