import Foundation

extension StoreTransaction {
    /// Queues `specs` from one file, in batches of ``insertBatchSize``.
    ///
    /// A job whose id exists is a duplicate, unless this very file
    /// (`intakeKey`) queued it in an earlier run (row id ≤ `resumedUpTo`),
    /// which happens when intake resumes after a crash: then it counts as
    /// accepted. A job queued under its former generated id
    /// (``JobSpec/formerID``) is a duplicate too. Ids are compared byte for
    /// byte (``ExactText``), as both stores' unique index does.
    public func insertJobs(_ specs: [JobSpec], intakeKey: String, sourceFile: String, policy: IntakePolicy, now: Date, resumedUpTo: Int64) throws
        -> IntakeBatchResult
    {
        var result = IntakeBatchResult()
        func duplicate(_ id: String) {
            result.duplicates += 1
            if result.duplicateIDs.count < 100 { result.duplicateIDs.append(id) }
        }
        let campaigns = Set(specs.compactMap { $0.campaign.map(ExactText.init) }).sorted().map(\.text)
        if !campaigns.isEmpty { try ensureCampaigns(campaigns, now: now) }
        var texts = JobSpecTexts()
        var resumed = Set<ExactText>()
        var start = specs.startIndex
        while start < specs.endIndex {
            let batch = specs[start..<min(start + insertBatchSize, specs.endIndex)]
            start += batch.count
            let formerIDs = batch.compactMap(\.formerID)
            let taken = formerIDs.isEmpty ? [] : try existingJobIDs(formerIDs)
            // The rows alone go on (not copies of the specs: a campaign's
            // intake is bound by these per-job copies).
            let suppressed = try suppressedCallees(of: batch, policy: policy)
            var rows: [NewJob] = []
            rows.reserveCapacity(batch.count)
            for spec in batch {
                if let former = spec.formerID, taken.contains(ExactText(former)) {
                    duplicate(spec.id)
                    continue
                }
                if policy.suppresses(spec.type), let entry = suppressed[spec.calleeNbr]?.first(where: { $0.applies(toCampaign: spec.campaign) }) {
                    result.rejections.append(
                        FileReport.Rejection(
                            position: spec.position ?? .single, id: spec.id, issues: ["calleeNbr: \(SuppressionNotes.note(entry))"], reason: .suppressed))
                    continue
                }
                rows.append(try NewJob(spec, texts: &texts, sourceFile: sourceFile, intakeKey: intakeKey, policy: policy, now: now))
            }
            guard !rows.isEmpty else { continue }
            for (row, outcome) in zip(rows, try insertNewJobs(rows)) {
                switch outcome {
                case .inserted:
                    result.accepted += 1
                case .existing(let rowID, let key) where key == intakeKey && rowID <= resumedUpTo && resumed.insert(ExactText(row.jobId)).inserted:
                    // Queued by this very file in a run a crash interrupted: once.
                    result.accepted += 1
                case .existing, .skipped:
                    duplicate(row.jobId)
                }
            }
        }
        return result
    }

    /// Queues one file's jobs and records its report (counts so far plus
    /// this batch's), in the caller's transaction.
    func insertJobs(_ file: IntakeFileJobs, policy: IntakePolicy, now: Date, resumedUpTo: Int64) throws -> IntakeFileJobs.Commit {
        if let report = try intakeReport(key: file.intakeKey) { return .alreadyCommitted(report) }
        let inserted = try insertJobs(file.specs, intakeKey: file.intakeKey, sourceFile: file.name, policy: policy, now: now, resumedUpTo: resumedUpTo)
        var report = file.report
        report.accepted += inserted.accepted
        report.duplicates += inserted.duplicates
        for rejection in inserted.rejections { report.reject(rejection) }
        try saveIntakeReport(key: file.intakeKey, name: file.name, report: report, now: now)
        return .committed(report)
    }
}

extension StoreDriver {
    /// Queues a batch of jobs in one transaction (see
    /// ``StoreTransaction/insertJobs(_:intakeKey:sourceFile:policy:now:resumedUpTo:)``).
    /// With `completing`, the file's report (counts so far plus this
    /// batch's) is committed in the same transaction: a single-job file
    /// costs one commit.
    public func insertJobs(
        _ specs: [JobSpec], intakeKey: String, sourceFile: String, policy: IntakePolicy, now: Date, resumedUpTo: Int64, completing report: FileReport? = nil
    ) throws -> IntakeBatchResult {
        try writing { rows in
            let result = try rows.insertJobs(specs, intakeKey: intakeKey, sourceFile: sourceFile, policy: policy, now: now, resumedUpTo: resumedUpTo)
            if result.accepted > 0 { try rows.announceQueuedJobs() }
            if var report {
                report.accepted += result.accepted
                report.duplicates += result.duplicates
                for rejection in result.rejections { report.reject(rejection) }
                try rows.saveIntakeReport(key: intakeKey, name: sourceFile, report: report, now: now)
            }
            return result
        }
    }

    /// Commits several small files in one transaction (one fsync for all):
    /// each file's jobs with its report row, in a savepoint of its own, so
    /// one that fails leaves the others committed. A file whose intake key
    /// already has a report (committed before a crash) inserts nothing and
    /// answers that report. A job already queued by the same file in an
    /// interrupted earlier run (row id at most the highest before this
    /// transaction) counts as accepted.
    /// - Throws: when the transaction itself cannot go on (``StoreTransaction/survives(_:)``);
    ///   per-file failures are in the answer, one per file, in order.
    public func commitFiles(_ files: [IntakeFileJobs], policy: IntakePolicy, now: Date) throws -> [Result<IntakeFileJobs.Commit, any Error>] {
        try writing { rows in
            let resumedUpTo = try rows.lastJobRowID()
            var results: [Result<IntakeFileJobs.Commit, any Error>] = []
            results.reserveCapacity(files.count)
            for file in files {
                do {
                    results.append(.success(try rows.isolated { try rows.insertJobs(file, policy: policy, now: now, resumedUpTo: resumedUpTo) }))
                } catch where !rows.survives(error) {
                    throw error
                } catch {
                    results.append(.failure(error))
                }
            }
            // Once for the group (a round trip on PostgreSQL), not per file.
            try rows.announceQueuedJobs()
            return results
        }
    }

    public func completeIntake(key: String, name: String, report: FileReport, now: Date) throws {
        try writing { try $0.saveIntakeReport(key: key, name: name, report: report, now: now) }
    }
}

extension NewJob {
    /// The row of `spec` taken in from `sourceFile` at `now`: its expiry by
    /// `policy`, its first try at `notBefore` (never before now), its class
    /// and its application.
    init(_ spec: JobSpec, texts: inout JobSpecTexts, sourceFile: String, intakeKey: String, policy: IntakePolicy, now: Date) throws {
        self.init(
            jobId: spec.id, type: spec.type, classRank: spec.type == .verify ? 0 : 1, campaign: spec.campaign, priority: spec.priority,
            calleeNbr: spec.calleeNbr, displayNbr: spec.displayNbr, payload: spec.payload.storedText, meta: spec.meta,
            window: texts.window(of: spec), redial: texts.redial(of: spec), notBefore: spec.notBefore,
            expiresAt: policy.expiry(of: spec, now: now), nextAttemptAt: max(now, spec.notBefore ?? now), sourceFile: sourceFile,
            intakeKey: intakeKey, createdAt: now, app: try? policy.application(for: spec).get())
        if let digits = spec.optOutDigits {
            optOutDigits = digits
            optOutScope = policy.callGuard.optOutScope == .campaign ? (spec.campaign ?? "") : ""
        }
    }
}
