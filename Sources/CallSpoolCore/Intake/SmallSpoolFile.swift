import Foundation

/// A spool file small enough to be read whole before anything is stored,
/// so that many of them share one transaction (one fsync) instead of one
/// each.
///
/// It keeps the descriptor it was read through: the report is written and
/// the file moved only after the shared commit, and only if the name still
/// holds this very file.
struct SmallSpoolFile {
    let opened: OpenedFile
    /// Its jobs and its report so far, as the store takes them.
    var jobs: IntakeFileJobs

    var name: String { jobs.name }

    /// Reads every job of `file`. A file that breaks while being read keeps
    /// the jobs read before the break, and its report says so (as a streamed
    /// file's does).
    static func read(_ file: JobFile, opened: OpenedFile, identity: FileIdentity, policy: IntakePolicy, now: Date) throws -> SmallSpoolFile {
        var report = FileReport(file: identity.name, campaign: file.campaign)
        report.warn(about: file)
        var specs: [JobSpec] = []
        var reader = try file.reader()
        defer { reader.close() }
        do throws(JobFileError) {
            while let entry = try reader.next() {
                if let spec = report.take(entry, policy: policy, now: now) { specs.append(spec) }
            }
        } catch {
            report.error = error.reason + " (jobs before this point were queued)"
        }
        return SmallSpoolFile(opened: opened, jobs: IntakeFileJobs(intakeKey: identity.intakeKey, name: identity.name, specs: specs, report: report))
    }
}
