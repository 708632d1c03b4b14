import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// Number of jobs in each state (every state present, zero when none).
    public func stateCounts() throws -> [JobState: Int] {
        try reader.read { db in
            var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM job GROUP BY state") {
                if let state = JobState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    /// Jobs, newest first, optionally of one state and/or campaign.
    public func jobs(state: JobState? = nil, campaign: String? = nil, limit: Int = 100) throws -> [JobRecord] {
        try reader.read { db in
            var request = JobRecord.all()
            if let state { request = request.filter(JobRecord.Columns.state == state.rawValue) }
            if let campaign { request = request.filter(JobRecord.Columns.campaign == campaign) }
            return try request.order(JobRecord.Columns.rowId.desc).limit(limit).fetchAll(db)
        }
    }

    /// Jobs after row `afterRowID`, in row order (keyset pages), optionally of one state and/or campaign.
    public func jobsPage(state: JobState?, campaign: String?, afterRowID: Int64, limit: Int) throws -> [JobRecord] {
        try reader.read { db in
            var request = JobRecord.filter(JobRecord.Columns.rowId > afterRowID)
            if let state { request = request.filter(JobRecord.Columns.state == state.rawValue) }
            if let campaign { request = request.filter(JobRecord.Columns.campaign == campaign) }
            return try request.order(JobRecord.Columns.rowId).limit(limit).fetchAll(db)
        }
    }

    /// One job by its id, with its attempts, events and CDRs.
    public func jobDetail(id: String) throws -> JobDetail? {
        try reader.read { db in
            guard let job = try JobRecord.filter(JobRecord.Columns.jobId == id).fetchOne(db), let rowID = job.rowId else { return nil }
            let attempts = try AttemptRecord.filter(AttemptRecord.Columns.jobRowId == rowID).order(AttemptRecord.Columns.n).fetchAll(db)
            let events = try CallEventRecord.filter(CallEventRecord.Columns.jobRowId == rowID).order(CallEventRecord.Columns.id).fetchAll(db)
            let cdrs = try CDRRecord.filter(CDRRecord.Columns.jobRowId == rowID).fetchAll(db)
            return JobDetail(job: job, attempts: attempts, events: events, cdrs: cdrs)
        }
    }

    /// Per-campaign progress with outcome and digit histograms.
    public func campaignSummaries() throws -> [CampaignSummary] {
        try reader.read { db in
            var summaries: [String: CampaignSummary] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, paused FROM campaign ORDER BY name") {
                let name: String = row["name"]
                summaries[name] = CampaignSummary(campaign: name, paused: row["paused"])
            }
            for row in try Row.fetchAll(db, sql: "SELECT campaign, state, outcome, COUNT(*) AS n FROM job WHERE campaign IS NOT NULL GROUP BY campaign, state, outcome") {
                let name: String = row["campaign"]
                var summary = summaries[name] ?? CampaignSummary(campaign: name, paused: false)
                let count: Int = row["n"]
                let state: String = row["state"]
                summary.total += count
                summary.states[state, default: 0] += count
                if let outcome: String = row["outcome"] { summary.outcomes[outcome, default: 0] += count }
                summaries[name] = summary
            }
            for row in try Row.fetchAll(db, sql: "SELECT campaign, digits, COUNT(*) AS n FROM job WHERE campaign IS NOT NULL AND digits != '[]' GROUP BY campaign, digits") {
                let name: String = row["campaign"]
                let text: String = row["digits"]
                let digits = StoredDigits.joined(text)
                summaries[name]?.digits[digits, default: 0] += row["n"] as Int
            }
            for row in try Row.fetchAll(db, sql: "SELECT campaign, app, SUM(billedMinutes) AS minutes FROM job WHERE campaign IS NOT NULL AND billedMinutes > 0 GROUP BY campaign, app") {
                let name: String = row["campaign"]
                summaries[name]?.addBilled(app: row["app"], minutes: row["minutes"])
            }
            return summaries.values.sorted { $0.campaign < $1.campaign }
        }
    }

    /// One campaign's summary (as in ``campaignSummaries()``), read with its
    /// index alone; nil when there is no such campaign.
    public func campaignSummary(_ campaign: String) throws -> CampaignSummary? {
        try reader.read { db in
            let paused = try Bool.fetchOne(db, sql: "SELECT paused FROM campaign WHERE name = ?", arguments: [campaign])
            var summary = CampaignSummary(campaign: campaign, paused: paused ?? false)
            for row in try Row.fetchAll(db, sql: "SELECT state, outcome, COUNT(*) AS n FROM job WHERE campaign = ? GROUP BY state, outcome", arguments: [campaign]) {
                let count: Int = row["n"]
                let state: String = row["state"]
                summary.total += count
                summary.states[state, default: 0] += count
                if let outcome: String = row["outcome"] { summary.outcomes[outcome, default: 0] += count }
            }
            guard paused != nil || summary.total > 0 else { return nil }
            for row in try Row.fetchAll(db, sql: "SELECT digits, COUNT(*) AS n FROM job WHERE campaign = ? AND digits != '[]' GROUP BY digits", arguments: [campaign]) {
                let text: String = row["digits"]
                let digits = StoredDigits.joined(text)
                summary.digits[digits, default: 0] += row["n"] as Int
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT app, SUM(billedMinutes) AS minutes FROM job WHERE campaign = ? AND billedMinutes > 0 GROUP BY app", arguments: [campaign])
            {
                summary.addBilled(app: row["app"], minutes: row["minutes"])
            }
            return summary
        }
    }

    public func pauses() throws -> [PauseRecord] {
        try reader.read { db in try PauseRecord.order(PauseRecord.Columns.scope).fetchAll(db) }
    }

    public func heartbeat() throws -> HeartbeatRecord? {
        try reader.read { db in try HeartbeatRecord.fetchOne(db, key: 1) }
    }

    /// Records that the daemon is alive (and its in-memory figures).
    public func beat(_ record: HeartbeatRecord, apps: [AppStatusRecord] = []) throws {
        try writer.write { db in
            try record.save(db)
            for app in apps { try app.save(db) }
        }
    }
}

