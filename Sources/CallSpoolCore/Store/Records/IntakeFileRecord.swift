import Foundation

/// A row of `intakeFile`: a spool file whose jobs are all committed, with its
/// report. Committed with the file's last batch, so a crash before the file is
/// moved leads to a move, not a second intake.
public struct IntakeFileRecord: Codable, Sendable, Hashable {
    public var intakeKey: String
    public var name: String
    /// Stored as JSON text (sorted keys).
    public var report: FileReport
    public var completedAt: Date

    package init(intakeKey: String, name: String, report: FileReport, completedAt: Date) {
        self.intakeKey = intakeKey
        self.name = name
        self.report = report
        self.completedAt = completedAt
    }
}
