import Foundation
import Logging
import VoiceCallAPI

/// Takes one file from `incoming/` into the store (DESIGN §2).
///
/// Jobs are streamed from the file and committed in batches; the file's
/// completion is committed with its report; only then is the report written
/// and the file moved to `processed/`. A crash at any point leaves the file in
/// `incoming/`, and reading it again queues nothing twice (same ids, same
/// intake key). A file that cannot be read at all goes to `rejected/`.
public struct SpoolIntake: Sendable {
    public enum Result: Sendable {
        case processed(FileReport)
        case rejected(FileReport)
        /// Not readable yet (maybe still being written): try again later.
        case notReady(String)
        /// Gone, or a name the daemon ignores.
        case skipped
    }

    public let database: AppDatabase
    public let layout: SpoolLayout
    public var policy: IntakePolicy
    public var maxFileBytes: Int64
    public var batchSize: Int
    public var clock: any WallClock
    public var logger: Logger

    public init(
        database: AppDatabase, layout: SpoolLayout, policy: IntakePolicy = IntakePolicy(), maxFileBytes: Int64 = 256 << 20,
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
    public func process(name: String, settled: Bool) throws -> Result {
        guard !SpoolLayout.isIgnored(name) else { return .skipped }
        let path = layout.incoming + "/" + name
        guard let identity = FileIdentity.of(path: path, name: name) else { return .skipped }
        if identity.isSymlink {
            return try reject(name: name, reason: "symbolic links are refused (copy the file into tmp/ and rename it into incoming/)")
        }
        guard identity.isRegular else {
            return try reject(name: name, reason: "not a regular file")
        }
        if let report = try database.completedIntake(key: identity.intakeKey) {
            logger.info("finishing intake interrupted after commit", metadata: ["file": "\(name)"])
            try finish(name: name, report: report, into: layout.processed)
            return .processed(report)
        }
        let file: JobFile
        do {
            file = try JobFile.open(path, maxBytes: maxFileBytes)
        } catch {
            let permanent = error.reason.hasPrefix("file is ") && error.reason.contains("over the limit")
                || error.reason.hasPrefix("unknown format")
            guard settled || permanent else { return .notReady(error.reason) }
            return try reject(name: name, reason: error.reason)
        }
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
            batch.removeAll(keepingCapacity: true)
        }
        var completed = false
        do {
            while let entry = try reader.next() {
                report.warn(about: entry)
                switch entry.result {
                case .success(let spec): batch.append(spec)
                case .failure(let issues):
                    report.reject(.init(position: entry.position, id: issues.id, issues: issues.issues.map(\.description)))
                }
                if batch.count >= batchSize { try flush() }
            }
            try flush(completing: true)
            completed = true
        } catch let error as JobFileError {
            // The file changed or broke under us after the structure check:
            // what was committed stays committed; say so in the report.
            report.error = error.reason + " (jobs before this point were queued)"
        }
        if !completed {
            try database.completeIntake(key: identity.intakeKey, name: name, report: report, now: clock.now)
        }
        try finish(name: name, report: report, into: layout.processed)
        logger.info(
            "queued jobs from spool file",
            metadata: [
                "file": "\(name)", "accepted": "\(report.accepted)", "duplicates": "\(report.duplicates)",
                "rejected": "\(report.rejectedCount)", "warnings": "\(report.warningCount)", "campaign": "\(report.campaign ?? "-")",
            ])
        return .processed(report)
    }

    /// Moves a file that cannot be read to `rejected/` with its report.
    func reject(name: String, reason: String) throws -> Result {
        let report = FileReport(file: name, error: reason)
        try finish(name: name, report: report, into: layout.rejected)
        logger.warning("rejected spool file", metadata: ["file": "\(name)", "reason": "\(reason)"])
        return .rejected(report)
    }

    /// Writes `NAME.report.json` atomically, then moves the file beside it.
    func finish(name: String, report: FileReport, into directory: String) throws {
        let target = SpoolLayout.freeName(in: directory, for: name)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var written = report
        written.file = name
        let data = try encoder.encode(written)
        let reportPath = directory + "/" + target + ".report.json"
        let temporary = directory + "/." + target + ".report.json.tmp"
        // No fsync: the report is also committed in the store (intakeFile), so
        // a report lost to a power cut is rewritten, not lost.
        try PlainFile.write(data, to: temporary)
        guard rename(temporary, reportPath) == 0 else { throw POSIXError.current("rename report for \(name)") }
        guard rename(layout.incoming + "/" + name, directory + "/" + target) == 0 else {
            if errno == ENOENT { return }
            throw POSIXError.current("move \(name) to \(directory)")
        }
    }
}

extension POSIXError {
    static func current(_ what: String) -> any Error {
        let code = errno
        return NSError(domain: NSPOSIXErrorDomain, code: Int(code), userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(code)))"])
    }
}
