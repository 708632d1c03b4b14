import ArgumentParser

/// Commands whose issue has not landed yet: they say so and exit 2.
protocol NotYetAvailable: ParsableCommand {}

extension NotYetAvailable {
    func run() throws {
        printToStandardError("callspool \(Self.configuration.commandName ?? ""): not yet available in this build")
        throw ExitStatus.environmentError
    }
}

struct CancelCommand: NotYetAvailable {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel queued jobs by id or campaign.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Cancel every queued job of this campaign.") var campaign: String?
    @Argument(help: "Job ids.") var ids: [String] = []
}

struct RetryCommand: NotYetAvailable {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Requeue failed, unknown or expired jobs.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Requeue every job in this state (failed, unknown or expired).") var state: String?
    @Option(name: .long, help: "Only jobs of this campaign.") var campaign: String?
    @Argument(help: "Job ids.") var ids: [String] = []
}

struct PauseCommand: NotYetAvailable {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause dispatch, globally or for one campaign.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Pause only this campaign.") var campaign: String?
}

struct ResumeCommand: NotYetAvailable {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume dispatch, globally or for one campaign.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Resume only this campaign.") var campaign: String?
}

struct ExportCommand: NotYetAvailable {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export one row per job of a campaign.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "The campaign to export.") var campaign: String
    @Option(name: .long, help: "csv or jsonl.") var format: String = "csv"
}

struct DemoCommand: NotYetAvailable {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Simulator + daemon + the jobs/ examples, with live progress.")
}
