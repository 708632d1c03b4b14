import Foundation
import Logging
import VoiceCallAPI

/// Takes one file from `incoming/` into the store (docs/job-files.md).
///
/// A large file's jobs are streamed and committed in batches; small files
/// (up to 1 MiB) are read whole and committed several to a transaction
/// (``process(_:)``). Either way a file's completion is committed with its
/// report; only then is the report written and the file moved to
/// `processed/`. A crash at any point leaves the file in `incoming/`, and
/// reading it again queues nothing twice (same ids, same intake key). A file
/// that cannot be read at all goes to `rejected/`; whether it may first wait
/// to settle is decided by its ``JobFileError/Kind``.
///
/// Entries are opened once, without blocking and without following links
/// (``OpenedFile``); everything is decided and read on that descriptor, so a
/// FIFO, socket, device or link renamed in (even over a regular file, in a
/// race) is rejected instead of wedging intake. A file holding verify codes
/// is kept in `processed/` as a copy with the codes replaced (mode 0600); the
/// original is overwritten and removed (or, when small and the daemon's own,
/// redacted within its inode: ``InPlaceRedaction``).
public struct SpoolIntake: Sendable {
    public enum Result: Sendable {
        case processed(FileReport)
        case rejected(FileReport)
        /// Not readable yet (maybe still being written): try again later.
        case notReady(String)
        /// Gone, or a name the daemon ignores.
        case skipped
    }

    public static let reportFilesReason =
        "report files are written by callspool: a *.report.json file is never read as a job file (rename it to end in .json to submit it)"

    public let database: any CallStore
    public let layout: SpoolLayout
    public var policy: IntakePolicy
    public var maxFileBytes: Int64
    public var batchSize: Int
    public var clock: any WallClock
    public var logger: Logger
    /// Beaten while a file is read, so a long campaign file is progress.
    public var progress: ProgressBeacon?
    var fileSystem = SpoolFileSystem()

    public init(
        database: any CallStore, layout: SpoolLayout, policy: IntakePolicy = IntakePolicy(), maxFileBytes: Int64 = 256 << 20,
        batchSize: Int = 5000, clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "callspool.intake")
    ) {
        self.database = database
        self.layout = layout
        self.policy = policy
        self.maxFileBytes = maxFileBytes
        self.batchSize = batchSize
        self.clock = clock
        self.logger = logger
    }

    /// Processes `incoming/name`. With `settled` false, a file that cannot be
    /// read as a whole is left for later instead of being rejected.
    /// - Throws: ``SpoolMoveError`` when the file was handled (report
    ///   written) but cannot leave `incoming/`; other errors leave it for a retry.
    public func process(name: String, settled: Bool) throws -> Result {
        let outcomes = process([Request(name: name, settled: settled)])
        guard let outcome = outcomes.first else { return .skipped }
        return try outcome.result.get()
    }

    /// What the spool entry `name` turned out to be before anything was stored.
    enum Preparation {
        /// Decided without storing anything (skipped, rejected, not ready,
        /// or finished from the report committed before a crash).
        case done(Result)
        /// Small enough to be read whole and committed with other files.
        case small(SmallSpoolFile)
        /// Streamed in batches of ``batchSize`` jobs, in its own transactions.
        case large(OpenedFile, JobFile, FileIdentity)
    }

    /// Opens `incoming/name` and decides how it is taken in. Rejections are
    /// finished here (report written, file moved).
    func prepare(_ request: Request) throws -> Preparation {
        let name = request.name, settled = request.settled
        guard !SpoolLayout.isIgnored(name) else { return .done(.skipped) }
        let path = layout.incoming + "/" + name
        if SpoolLayout.isReport(name) {
            guard FileIdentity.of(path: path, name: name) != nil else { return .done(.skipped) }
            return .done(try reject(name: name, reason: Self.reportFilesReason, opened: nil))
        }
        let opened: OpenedFile
        do {
            opened = try OpenedFile.open(path, using: fileSystem.open)
        } catch {
            if error.isGone { return .done(.skipped) }
            switch error.kind {
            case .symlink:
                return .done(try reject(name: name, reason: "symbolic links are refused (copy the file into tmp/ and rename it into incoming/)", opened: nil))
            case .some(let kind):
                return .done(try reject(name: name, reason: "not a regular file: it is \(kind.rawValue) (\(error))", opened: nil))
            case nil:
                guard settled else { return .done(.notReady(error.description)) }
                return .done(try reject(
                    name: name, reason: "\(error); make it readable by the callspool user (group of the spool) and drop it again", opened: nil))
            }
        }
        guard opened.kind == .regular else {
            // `opened` lets finish check the name still holds this entry: in a
            // rename race it may be a regular file again, which must not be
            // moved away under a report about a FIFO.
            return .done(try reject(name: name, reason: "not a regular file: it is \(opened.kind.rawValue); only regular files are read", opened: opened))
        }
        let identity = FileIdentity(name: name, opened: opened)
        progress?.beat()
        let small = opened.size <= Self.sharedCommitMaxBytes
        if !small, let report = try database.completedIntake(key: identity.intakeKey) {
            return .done(try finishInterrupted(name: name, report: report, opened: opened))
        }
        let file: JobFile
        do {
            file = try JobFile.open(opened, path: path, maxBytes: maxFileBytes)
        } catch {
            if small, let report = try database.completedIntake(key: identity.intakeKey) {
                return .done(try finishInterrupted(name: name, report: report, opened: opened))
            }
            guard settled || error.isPermanent else { return .done(.notReady(error.reason)) }
            return .done(try reject(name: name, reason: error.reason, opened: opened))
        }
        guard small else { return .large(opened, file, identity) }
        return .small(try SmallSpoolFile.read(file, opened: opened, identity: identity, policy: policy, now: clock.now))
    }

    /// Finishes a file whose jobs and report were committed before a crash.
    func finishInterrupted(name: String, report: FileReport, opened: OpenedFile) throws -> Result {
        logger.info("finishing intake interrupted after commit", metadata: ["file": "\(name)"])
        try finish(name: name, report: report, into: layout.processed, opened: opened)
        return .processed(report)
    }

    /// Streams a large file's jobs into the store in batches of
    /// ``batchSize``; the last batch commits the file's report with it.
    func stream(name: String, opened: OpenedFile, file: JobFile, identity: FileIdentity) throws -> Result {
        var report = FileReport(file: name, campaign: file.campaign)
        report.warn(about: file)
        var reader = try file.reader()
        defer { reader.close() }
        var batch: [JobSpec] = []
        batch.reserveCapacity(batchSize)
        let resumedUpTo = try database.lastJobRowID()
        func flush(completing: Bool = false) throws {
            guard !batch.isEmpty || completing else { return }
            let result = try database.insertJobs(
                batch, intakeKey: identity.intakeKey, sourceFile: name, policy: policy, now: clock.now, resumedUpTo: resumedUpTo,
                completing: completing ? report : nil)
            report.accepted += result.accepted
            report.duplicates += result.duplicates
            for rejection in result.rejections { report.reject(rejection) }
            batch.removeAll(keepingCapacity: true)
            progress?.beat()
        }
        var completed = false
        do {
            while let entry = try reader.next() {
                if let spec = report.take(entry, policy: policy, now: clock.now) { batch.append(spec) }
                if batch.count >= batchSize { try flush() }
            }
            try flush(completing: true)
            completed = true
        } catch let error as JobFileError {
            // The file changed or broke under us after the structure check:
            // what was committed stays committed; say so in the report.
            report.error = error.reason + " (jobs before this point were queued)"
        } catch where StoreRefusal.reason(for: error) != nil {
            // Offering the batch again would be refused again: the file ends
            // here, with what was committed before the refused batch.
            report.error = (StoreRefusal.reason(for: error) ?? "the store refused it") + Self.refusedBatchNote(queued: report.accepted)
        }
        if !completed {
            try database.completeIntake(key: identity.intakeKey, name: name, report: report, now: clock.now)
        }
        try finish(name: name, report: report, into: report.accepted == 0 && report.error != nil ? layout.rejected : layout.processed, opened: opened)
        logQueued(report)
        return .processed(report)
    }

    /// What a report adds to a store's refusal: how much of the file was queued.
    static func refusedBatchNote(queued: Int) -> String {
        queued == 0
            ? "; nothing of this file was queued: correct the job the store cannot hold and drop the file again"
            : "; the \(queued) jobs before the refused batch were queued, the rest were not"
    }

    func logQueued(_ report: FileReport) {
        logger.info(
            "queued jobs from spool file",
            metadata: [
                "file": "\(report.file)", "accepted": "\(report.accepted)", "duplicates": "\(report.duplicates)",
                "rejected": "\(report.rejectedCount)", "warnings": "\(report.warningCount)", "campaign": "\(report.campaign ?? "-")",
            ])
    }

    /// Moves a file that cannot be read to `rejected/` with its report.
    /// `opened`: the regular file behind the name, when there is one (its
    /// verify codes are erased from the kept copy).
    func reject(name: String, reason: String, opened: OpenedFile?) throws -> Result {
        let report = FileReport(file: name, error: reason)
        try finish(name: name, report: report, into: layout.rejected, opened: opened)
        logger.warning("rejected spool file", metadata: ["file": "\(name)", "reason": "\(reason)"])
        return .rejected(report)
    }
}
