import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation

/// Writes an intent and waits briefly for the daemon to apply it.
func submitIntent(_ intent: ControlIntent, options: ConfigOptions) throws {
    let context = try StoreContext.open(options)
    let id = try context.database.request(intent, now: Date())
    let deadline = Date().addingTimeInterval(3)
    while Date() < deadline {
        if let record = try context.database.intent(id: id), record.appliedAt != nil {
            print(record.result ?? "applied")
            return
        }
        Thread.sleep(forTimeInterval: 0.1)
    }
    print("recorded; the daemon is not applying requests right now (is it running? see `callspool status`) and will apply it when it runs")
}

/// Exits 1 naming the ids the store does not know.
func requireKnownJobs(_ ids: [String], options: ConfigOptions) throws {
    guard !ids.isEmpty else { return }
    let context = try StoreContext.open(options)
    let unknown = try ids.filter { try context.database.jobDetail(id: $0) == nil }
    if !unknown.isEmpty {
        printToStandardError("callspool: no job with id \(unknown.joined(separator: ", "))")
        throw ExitStatus.userError
    }
}

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel queued jobs by id or campaign.",
        discussion: "A job already in a call is not hung up; it is only kept from being redialed.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Cancel every queued job of this campaign.") var campaign: String?
    @Argument(help: "Job ids.") var ids: [String] = []

    func validate() throws {
        if ids.isEmpty == (campaign == nil) { throw ValidationError("Give job ids or --campaign (not both).") }
    }

    func run() throws {
        try requireKnownJobs(ids, options: options)
        try submitIntent(.cancel(ids: ids, campaign: campaign), options: options)
    }
}

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Requeue failed, unknown or expired jobs.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Requeue every job in this state: failed, unknown or expired.") var state: String?
    @Option(name: .long, help: "Only jobs of this campaign.") var campaign: String?
    @Argument(help: "Job ids.") var ids: [String] = []

    func validate() throws {
        if let state, !["failed", "unknown", "expired"].contains(state) { throw ValidationError("--state must be failed, unknown or expired") }
        if ids.isEmpty, state == nil { throw ValidationError("Give job ids or --state.") }
    }

    func run() throws {
        try requireKnownJobs(ids, options: options)
        try submitIntent(.retry(ids: ids, state: state.flatMap(JobState.init(rawValue:)), campaign: campaign), options: options)
    }
}

struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause dispatch, globally or for one campaign (persists across restarts).")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Pause only this campaign.") var campaign: String?

    func run() throws { try submitIntent(.pause(campaign: campaign), options: options) }
}

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume dispatch, globally or for one campaign.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Resume only this campaign.") var campaign: String?

    func run() throws { try submitIntent(.resume(campaign: campaign), options: options) }
}
