/// One spool file's jobs and report, committed together with other small
/// files in one transaction (``AppDatabase/commitFiles(_:policy:now:)``).
///
/// The report's counts leave out the jobs in ``specs``: the store adds what
/// each insert did (accepted or duplicate) before it commits the report.
public struct IntakeFileJobs: Sendable {
    public var intakeKey: String
    public var name: String
    public var specs: [JobSpec]
    public var report: FileReport

    public init(intakeKey: String, name: String, specs: [JobSpec], report: FileReport) {
        self.intakeKey = intakeKey
        self.name = name
        self.specs = specs
        self.report = report
    }

    /// What committing one file's jobs did.
    public enum Commit: Sendable, Equatable {
        /// The jobs and the report were committed now; the final report.
        case committed(FileReport)
        /// This very file (same intake key) was committed before a crash:
        /// nothing was inserted; the report committed then.
        case alreadyCommitted(FileReport)
    }
}
