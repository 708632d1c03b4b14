import ArgumentParser
import Foundation
import Logging
import VoiceCallAPI
import VoiceCallSimulator

/// `callspool simulate`: the fake VoiceCall platform, standalone. Parsing and
/// wiring only; the simulator lives in the VoiceCallSimulator module.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Run the fake VoiceCall platform standalone.",
        discussion: "Stops on SIGINT or SIGTERM. See README.md, section Simulator, for the scenario format.")

    @Option(name: .long, help: "Port to listen on (0 picks a free one).") var port: Int = 9443
    @Option(name: .long, help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(name: .long, help: ArgumentHelp("Scenario file (JSON).", valueName: "file")) var scenario: String?
    @Option(name: .long, help: "Simulated seconds per real second (60 plays a 30 s call in 0.5 s).") var timeScale: Double = 1
    @Option(name: .long, help: "Seed of the random choices (default: the scenario's, else 1).") var seed: UInt64?
    @Flag(name: .long, help: "Serve GET /_sim/state and the fault API even if the scenario does not enable them.")
    var inspect = false
    @Option(name: .long, help: "Log level (trace, debug, info, notice, warning, error).") var logLevel: String = "info"

    func validate() throws {
        guard timeScale > 0 else { throw ValidationError("--time-scale must be greater than 0") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
    }

    func run() async throws {
        let loaded: SimulatorScenario
        do {
            loaded = try scenario.map(SimulatorScenario.load(path:)) ?? SimulatorScenario()
        } catch {
            printToStandardError("callspool simulate: cannot read scenario \(scenario ?? ""): \(error)")
            throw ExitStatus.userError
        }
        var logger = Logger(label: "callspool.simulator")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let simulator = VoiceCallSimulator(configuration: .init(
            scenario: loaded, clock: SimulatorClock(timeScale: timeScale), seed: seed, inspection: inspect ? true : nil,
            logger: logger))
        let host = self.host
        let timeScale = self.timeScale
        try await simulator.runStandalone(host: host, port: port) { bound in
            let applications = loaded.resolvedApplications
            let credentials = applications.count <= 1
                ? """
                  app_key         = "\(simulator.credentials.appKey)"
                  app_secret      = "\(simulator.credentials.appSecret)"
                  display numbers = \(simulator.displayNumbers.joined(separator: ", "))
                """
                : applications.map { app in
                    """
                      application     app_key = "\(app.appKey)", app_secret = "\(app.appSecret)"
                        types = \(app.capabilities.map(\.rawValue).sorted().joined(separator: ", ")), display numbers = \(app.displayNumbers.joined(separator: ", "))\(app.ports.map { ", ports = \($0)" } ?? "")
                    """
                }.joined(separator: "\n")
            FileHandle.standardOutput.write(Data("""
                VoiceCall simulator listening
                  base_url        = "http://\(host):\(bound)"
                \(credentials)
                  time scale      = \(timeScale)x
                  inspection      = \(simulator.inspectionEnabled ? "http://\(host):\(bound)/_sim/state" : "off (--inspect)")

                """.utf8))
        }
    }
}
