import ArgumentParser

/// Commands whose issue has not landed yet: they say so and exit 2.
protocol NotYetAvailable: ParsableCommand {}

extension NotYetAvailable {
    func run() throws {
        printToStandardError("callspool \(Self.configuration.commandName ?? ""): not yet available in this build")
        throw ExitStatus.environmentError
    }
}

struct DemoCommand: NotYetAvailable {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Simulator + daemon + the jobs/ examples, with live progress.")
}
