import CallSpoolCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func lastJobRowID() throws -> Int64 {
        try read { session in try session.scalar(Int64.self, "SELECT MAX(id) FROM job") ?? 0 }
    }

    public func insertJobs(
        _ specs: [JobSpec], intakeKey: String, sourceFile: String, policy: IntakePolicy, now: Date, resumedUpTo: Int64,
        completing report: FileReport?
    ) throws -> IntakeBatchResult {
        try write { session in
            let result = try session.insert(
                specs, intakeKey: intakeKey, sourceFile: sourceFile, policy: policy, now: now, resumedUpTo: resumedUpTo, instance: settings.instance)
            if var report {
                report.accepted += result.accepted
                report.duplicates += result.duplicates
                try session.saveReport(key: intakeKey, name: sourceFile, report: report, now: now)
            }
            if result.accepted > 0 { try session.notify(PostgresSchema.wakeupChannel) }
            return result
        }
    }

    public func commitFiles(_ files: [IntakeFileJobs], policy: IntakePolicy, now: Date) throws -> [Result<IntakeFileJobs.Commit, any Error>] {
        try write { session in
            let resumedUpTo = try session.scalar(Int64.self, "SELECT MAX(id) FROM job") ?? 0
            var results: [Result<IntakeFileJobs.Commit, any Error>] = []
            for file in files {
                do {
                    let commit = try session.savepoint { () throws -> IntakeFileJobs.Commit in
                        if let report = try session.report(key: file.intakeKey) { return .alreadyCommitted(report) }
                        let inserted = try session.insert(
                            file.specs, intakeKey: file.intakeKey, sourceFile: file.name, policy: policy, now: now, resumedUpTo: resumedUpTo,
                            instance: settings.instance)
                        var report = file.report
                        report.accepted += inserted.accepted
                        report.duplicates += inserted.duplicates
                        try session.saveReport(key: file.intakeKey, name: file.name, report: report, now: now)
                        return .committed(report)
                    }
                    results.append(.success(commit))
                } catch let error as PostgresStoreError {
                    throw error  // the connection failed: nothing of the group can commit
                } catch {
                    results.append(.failure(error))
                }
            }
            try session.notify(PostgresSchema.wakeupChannel)
            return results
        }
    }

    public func completeIntake(key: String, name: String, report: FileReport, now: Date) throws {
        try write { session in try session.saveReport(key: key, name: name, report: report, now: now) }
    }

    public func completedIntake(key: String) throws -> FileReport? {
        try read { session in try session.report(key: key) }
    }
}

extension PostgresSession {
    func report(key: String) throws -> FileReport? {
        try record(IntakeFileRecord.self, "SELECT * FROM intakeFile WHERE intakeKey = $1", [key])?.report
    }

    func saveReport(key: String, name: String, report: FileReport, now: Date) throws {
        try upsert(IntakeFileRecord(intakeKey: key, name: name, report: report, completedAt: now), into: "intakeFile", key: "intakeKey")
    }

    /// Queues `specs` (duplicates counted, not queued), as the SQLite store
    /// does, in statements of up to ``insertBatch`` rows: one round trip
    /// per batch, not per job. Each job records `instance` (this instance,
    /// which took it in): its results file is written there.
    func insert(
        _ specs: [JobSpec], intakeKey: String, sourceFile: String, policy: IntakePolicy, now: Date, resumedUpTo: Int64, instance: String
    ) throws -> IntakeBatchResult {
        var result = IntakeBatchResult()
        let campaigns = Set(specs.compactMap { $0.campaign.map(ExactText.init) }).sorted().map(\.text)
        if !campaigns.isEmpty {
            try execute(
                "INSERT INTO campaign (name, createdAt) SELECT unnest($1::text[]), $2 ON CONFLICT (name) DO NOTHING", [PostgresTextArray(campaigns), now])
        }
        var columns = NewJobColumns()
        var start = specs.startIndex
        while start < specs.endIndex {
            var batch = Array(specs[start..<min(start + Self.insertBatch, specs.endIndex)])
            start += batch.count
            // A job queued under its former generated id is a duplicate.
            let formerIDs = batch.compactMap(\.formerID)
            if !formerIDs.isEmpty {
                let taken = Set(try rows("SELECT jobId FROM job WHERE jobId = ANY($1::text[])", [PostgresTextArray(formerIDs)])
                    .map { ExactText(try $0.value("jobid", as: String.self)) })
                if !taken.isEmpty {
                    for spec in batch where spec.formerID.map({ taken.contains(ExactText($0)) }) == true {
                        result.duplicates += 1
                        if result.duplicateIDs.count < 100 { result.duplicateIDs.append(spec.id) }
                    }
                    batch.removeAll { $0.formerID.map { taken.contains(ExactText($0)) } == true }
                    if batch.isEmpty { continue }
                }
            }
            var arguments = PostgresArguments()
            var tuples: [String] = []
            for spec in batch {
                var marks: [String] = []
                for value in try columns.values(of: spec, sourceFile: sourceFile, intakeKey: intakeKey, policy: policy, now: now, instance: instance) {
                    arguments.append(value)
                    marks.append("$\(arguments.bindings.count)")
                }
                marks.insert("'queued'", at: 5)
                tuples.append("(" + marks.joined(separator: ", ") + ")")
            }
            let inserted = Set(
                try rows(
                    """
                    INSERT INTO job (jobId, type, classRank, campaign, priority, state, calleeNbr, displayNbr, payload, meta,
                        "window", redial, notBefore, expiresAt, nextAttemptAt, sourceFile, intakeKey, createdAt, updatedAt, app, intakeInstance)
                    VALUES \(tuples.joined(separator: ", "))
                    ON CONFLICT (jobId) DO NOTHING RETURNING jobId
                    """, arguments
                ).map { ExactText(try $0.value("jobid", as: String.self)) })
            // Not inserted: a duplicate, or this very file's job from an
            // interrupted earlier run (accepted then).
            // Keyed byte for byte, as PostgreSQL compares (ExactText).
            var firstSeen = Set<ExactText>()
            let others = batch.filter { !inserted.contains(ExactText($0.id)) }.map(\.id)
            var existing: [ExactText: (rowID: Int64, intakeKey: String?)] = [:]
            if !others.isEmpty {
                for row in try rows("SELECT jobId, id, intakeKey FROM job WHERE jobId = ANY($1::text[])", [PostgresTextArray(others)]) {
                    existing[ExactText(try row.value("jobid", as: String.self))] = (try row.value("id", as: Int64.self), try row.optional("intakekey", as: String.self))
                }
            }
            for spec in batch {
                let key = ExactText(spec.id)
                if inserted.contains(key), firstSeen.insert(key).inserted {
                    result.accepted += 1
                } else if !inserted.contains(key), let row = existing[key], row.intakeKey == intakeKey, row.rowID <= resumedUpTo,
                    firstSeen.insert(key).inserted
                {
                    result.accepted += 1
                } else {
                    result.duplicates += 1
                    if result.duplicateIDs.count < 100 { result.duplicateIDs.append(spec.id) }
                }
            }
        }
        return result
    }

    /// Jobs per INSERT statement (21 parameters each: well under PostgreSQL's 65,535).
    static let insertBatch = 500
}

/// The column values of a new job row, in the order of the INSERT (jobId
/// … app, intakeInstance, without state).
struct NewJobColumns {
    private var texts = JobSpecTexts()

    mutating func values(
        of spec: JobSpec, sourceFile: String, intakeKey: String, policy: IntakePolicy, now: Date, instance: String
    ) throws -> [any PostgresBindable] {
        let window = try texts.window(of: spec)
        let redial = try texts.redial(of: spec)
        let start = max(now, spec.notBefore ?? now)
        let app: String? = try? policy.application(for: spec).get()
        return [
            spec.id, spec.type.rawValue, spec.type == .verify ? 0 : 1, spec.campaign, spec.priority,
            spec.calleeNbr, spec.displayNbr, spec.payload.storedText, spec.meta, window, redial,
            spec.notBefore, policy.expiry(of: spec, now: now), start, sourceFile, intakeKey, now, now, app, instance,
        ]
    }
}
