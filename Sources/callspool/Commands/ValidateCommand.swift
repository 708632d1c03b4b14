import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check job files without queueing them; exit 1 with one line per bad job.",
        discussion: "Warnings (such as a field given under the reference's misspelling) are printed to standard error but do not change the exit status."
    )

    @Flag(name: .long, help: "Print one JSON report per file (an array) instead of lines.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Largest file accepted, in bytes (spool.max_file_bytes).", valueName: "bytes"))
    var maxFileBytes: Int64 = 256 << 20

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Configuration whose [guard] callee_prefixes apply (default: $CALLSPOOL_CONFIG or /etc/callspool/callspool.toml when readable; else the default prefixes, +86).",
            valueName: "path"))
    var config: String?

    @Argument(help: ArgumentHelp("Job files (.json or .jsonl).", valueName: "file"))
    var files: [String]

    /// The `[guard]` to check against: the named configuration's (an error
    /// when it cannot be read), the default one's when readable, else the defaults.
    func callGuard() throws -> Configuration.Guard {
        let path = config ?? ProcessInfo.processInfo.environment["CALLSPOOL_CONFIG"] ?? "/etc/callspool/callspool.toml"
        guard config != nil || FileManager.default.isReadableFile(atPath: path) else { return Configuration.Guard() }
        do {
            return try ConfigurationLoader().load(path: path, purpose: .cli).callGuard
        } catch {
            printToStandardError("callspool: \(error)")
            throw ExitStatus.environmentError
        }
    }

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one job file.") }
    }

    func run() throws {
        let rules = try callGuard()
        let reports = files.map { JobFileLinter.lint(path: $0, maxBytes: maxFileBytes, callGuard: rules) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        } else {
            for (path, report) in zip(files, reports) {
                for line in JobFileLinter.describeWarnings(report) { printToStandardError(line) }
                let problems = JobFileLinter.describe(report)
                if problems.isEmpty {
                    var summary = "\(path): ok, \(report.accepted) job\(report.accepted == 1 ? "" : "s")"
                    if let campaign = report.campaign { summary += " (campaign \(campaign))" }
                    if report.duplicates > 0 { summary += ", \(report.duplicates) duplicate id\(report.duplicates == 1 ? "" : "s") (counted, not queued twice)" }
                    if report.warningCount > 0 { summary += ", \(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")" }
                    print(summary)
                } else {
                    for line in problems { printToStandardError(line) }
                }
            }
        }
        if reports.contains(where: { !$0.isClean }) { throw ExitStatus.userError }
    }
}

func printToStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
