import ArgumentParser

@main
struct Callspool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callspool",
        abstract: "Dispatch Huawei Cloud VoiceCall notifications and verification codes from a spool directory.",
        version: CallspoolVersion.current,
        subcommands: [
            RunCommand.self, StatusCommand.self, JobsCommand.self, JobCommand.self, CampaignsCommand.self,
            SubmitCommand.self, ValidateCommand.self, CancelCommand.self, RetryCommand.self, PauseCommand.self,
            ResumeCommand.self, ExportCommand.self, SimulateCommand.self, DemoCommand.self, CheckCommand.self, ReportCommand.self,
            StoreCommand.self, SuppressCommand.self, WebhooksCommand.self,
        ]
    )
}

enum CallspoolVersion {
    static let current = "0.1.0"
}
