import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Validate job files, then drop them atomically into the spool's incoming/ directory.")
    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Submit a file even when some of its jobs are invalid (they are reported and skipped).") var partial = false
    @Argument(help: ArgumentHelp("Job files (.json or .jsonl).", valueName: "file")) var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one job file.") }
    }

    func run() throws {
        let context = try StoreContext.open(options)
        let layout = SpoolLayout(root: context.configuration.spool.dir)
        do {
            try layout.ensureExists()
        } catch {
            printToStandardError("callspool: spool \(layout.root): \(error)")
            throw ExitStatus.environmentError
        }
        let submitter = SpoolSubmitter(layout: layout, maxFileBytes: context.configuration.spool.maxFileBytes)
        var failed = false
        for file in files {
            switch try submitter.submit(path: file, allowPartial: partial) {
            case .submitted(let name, let report):
                for line in JobFileLinter.describeWarnings(report) { printToStandardError(line) }
                print("\(file): submitted as incoming/\(name) (\(report.accepted) job\(report.accepted == 1 ? "" : "s")\(report.rejected.isEmpty ? "" : ", \(report.rejectedCount) invalid skipped"))")
            case .invalid(let report):
                failed = true
                let problems = JobFileLinter.describe(report)
                for line in problems.isEmpty ? ["\(report.file): no jobs to submit"] : problems { printToStandardError(line) }
                printToStandardError("\(file): not submitted")
            }
        }
        if failed { throw ExitStatus.userError }
    }
}
