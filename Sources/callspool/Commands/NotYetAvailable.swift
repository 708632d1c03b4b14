import ArgumentParser

/// Commands whose issue has not landed yet: they say so and exit 2.
protocol NotYetAvailable: ParsableCommand {}

extension NotYetAvailable {
    func run() throws {
        printToStandardError("callspool \(Self.configuration.commandName ?? ""): not yet available in this build")
        throw ExitStatus.environmentError
    }
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
