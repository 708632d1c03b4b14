import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// The highest job row id so far (0 when empty): intake notes it before a
    /// file so it can tell a job it queued in an earlier, interrupted run from a
    /// duplicate id within the file.
    public func lastJobRowID() throws -> Int64 {
        try reader.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM job") ?? 0 }
    }

    /// Queues a batch of jobs in one transaction. A job whose id exists is a
    /// duplicate, unless this very file (`intakeKey`) queued it in an earlier
    /// run (row id ≤ `resumedUpTo`), which happens when intake resumes after a
    /// crash: then it counts as accepted.
    ///
    /// With `completing`, the file's report (counts so far plus this batch's)
    /// is committed in the same transaction: a single-job file costs one commit.
    public func insertJobs(
        _ specs: [JobSpec], intakeKey: String, sourceFile: String, policy: IntakePolicy, now: Date, resumedUpTo: Int64 = 0,
        completing report: FileReport? = nil
    ) throws -> IntakeBatchResult {
        try writer.write { db in
            let result = try Self.insert(specs, intakeKey: intakeKey, sourceFile: sourceFile, policy: policy, now: now, resumedUpTo: resumedUpTo, in: db)
            if var report {
                report.accepted += result.accepted
                report.duplicates += result.duplicates
                try IntakeFileRecord(intakeKey: intakeKey, name: sourceFile, report: report, completedAt: now).save(db)
            }
            return result
        }
    }

    /// Commits several small files in one transaction (one fsync for all):
    /// each file's jobs with its report row, in a savepoint of its own, so
    /// one that fails leaves the others committed. A file whose intake key
    /// already has a report (committed before a crash) inserts nothing and
    /// answers that report.
    ///
    /// A job already queued by the same file in an interrupted earlier run
    /// (row id at most the highest before this transaction) counts as
    /// accepted, as in ``insertJobs(_:intakeKey:sourceFile:policy:now:resumedUpTo:completing:)``.
    /// - Throws: when the transaction itself cannot be committed; per-file
    ///   failures are in the answer, one per file, in order.
    public func commitFiles(_ files: [IntakeFileJobs], policy: IntakePolicy, now: Date) throws -> [Result<IntakeFileJobs.Commit, any Error>] {
        try writer.write { db in
            let resumedUpTo = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM job") ?? 0
            var results: [Result<IntakeFileJobs.Commit, any Error>] = []
            results.reserveCapacity(files.count)
            for file in files {
                var commit: IntakeFileJobs.Commit?
                do {
                    try db.inSavepoint {
                        if let record = try IntakeFileRecord.fetchOne(db, key: file.intakeKey) {
                            commit = .alreadyCommitted(record.report)
                            return .commit
                        }
                        let inserted = try Self.insert(
                            file.specs, intakeKey: file.intakeKey, sourceFile: file.name, policy: policy, now: now, resumedUpTo: resumedUpTo, in: db)
                        var report = file.report
                        report.accepted += inserted.accepted
                        report.duplicates += inserted.duplicates
                        try IntakeFileRecord(intakeKey: file.intakeKey, name: file.name, report: report, completedAt: now).save(db)
                        commit = .committed(report)
                        return .commit
                    }
                } catch {
                    // SQLite may have rolled the whole transaction back (a
                    // full disk): then nothing of the group can commit.
                    guard db.isInsideTransaction else { throw error }
                    results.append(.failure(error))
                    continue
                }
                // Set whenever the savepoint returned: the answer keeps one entry per file.
                results.append(commit.map { .success($0) } ?? .failure(DatabaseError(resultCode: .SQLITE_INTERNAL, message: "intake savepoint ended without a result")))
            }
            return results
        }
    }

    static func insert(
        _ specs: [JobSpec], intakeKey: String, sourceFile: String, policy: IntakePolicy, now: Date, resumedUpTo: Int64, in db: Database
    ) throws -> IntakeBatchResult {
        do {
            var result = IntakeBatchResult()
            let insert = try db.cachedStatement(sql: """
                INSERT INTO job (jobId, type, classRank, campaign, priority, state, calleeNbr, displayNbr, payload, meta,
                    window, redial, notBefore, expiresAt, nextAttemptAt, sourceFile, intakeKey, createdAt, updatedAt, app)
                VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(jobId) DO NOTHING
                """)
            let existing = try db.cachedStatement(sql: "SELECT id, intakeKey FROM job WHERE jobId = ?")
            let campaign = try db.cachedStatement(sql: "INSERT OR IGNORE INTO campaign (name, createdAt) VALUES (?, ?)")
            var campaigns = Set<ExactText>()
            var texts = JobSpecTexts()
            let stamp = now.timeIntervalSince1970
            for spec in specs {
                if let name = spec.campaign, campaigns.insert(ExactText(name)).inserted {
                    try campaign.execute(arguments: [name, stamp])
                }
                if let former = spec.formerID, try Row.fetchOne(existing, arguments: [former]) != nil {
                    result.duplicates += 1
                    if result.duplicateIDs.count < 100 { result.duplicateIDs.append(spec.id) }
                    continue
                }
                let payload = spec.payload.storedText
                let window = try texts.window(of: spec)
                let redial = try texts.redial(of: spec)
                let expiry = policy.expiry(of: spec, now: now).timeIntervalSince1970
                let start = max(stamp, spec.notBefore?.timeIntervalSince1970 ?? stamp)
                try insert.execute(arguments: [
                    spec.id, spec.type.rawValue, spec.type == .verify ? 0 : 1, spec.campaign, spec.priority,
                    spec.calleeNbr, spec.displayNbr, payload, spec.meta, window, redial,
                    spec.notBefore?.timeIntervalSince1970, expiry, start, sourceFile, intakeKey, stamp, stamp,
                    try? policy.application(for: spec).get(),
                ])
                if db.changesCount > 0 {
                    result.accepted += 1
                } else if let row = try Row.fetchOne(existing, arguments: [spec.id]), row["intakeKey"] == intakeKey,
                    (row["id"] as Int64) <= resumedUpTo {
                    result.accepted += 1
                } else {
                    result.duplicates += 1
                    if result.duplicateIDs.count < 100 { result.duplicateIDs.append(spec.id) }
                }
            }
            return result
        }
    }

    /// Records that every job of a file is committed, with its report.
    public func completeIntake(key: String, name: String, report: FileReport, now: Date) throws {
        try writer.write { db in
            try IntakeFileRecord(intakeKey: key, name: name, report: report, completedAt: now).save(db)
        }
    }

    /// The report of a file already taken in, when intake finished before a crash.
    public func completedIntake(key: String) throws -> FileReport? {
        try reader.read { db in
            try IntakeFileRecord.fetchOne(db, key: key)?.report
        }
    }
}
