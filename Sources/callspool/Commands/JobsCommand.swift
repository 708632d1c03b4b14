import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List jobs, newest first.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Only jobs in this state (queued, dispatching, in_call, completed, failed, expired, canceled, unknown).") var state: String?
    @Option(name: .long, help: "Only jobs of this campaign.") var campaign: String?
    @Option(name: .long, help: "At most this many jobs.") var limit: Int = 100
    @Flag(name: .long, help: "Machine-readable output.") var json = false

    func validate() throws {
        if let state, JobState(rawValue: state) == nil {
            throw ValidationError("--state must be one of: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let context = try StoreContext.open(options, readonly: true)
        let items = try context.database.jobs(state: state.flatMap(JobState.init(rawValue:)), campaign: campaign, limit: limit).map(JobListItem.init)
        if json { try printJSON(items) } else { print(JobListItem.table(items)) }
    }
}
