import ArgumentParser

struct SimulateCommand: NotYetAvailable {
    static let configuration = CommandConfiguration(commandName: "simulate", abstract: "Run the fake VoiceCall platform standalone.")
    @Option(name: .long, help: "Port to listen on.") var port: Int = 9443
    @Option(name: .long, help: "Scenario file.") var scenario: String?
}
