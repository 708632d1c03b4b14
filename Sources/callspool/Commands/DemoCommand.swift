import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import VoiceCallSimulator

/// `callspool demo`: the simulator and the daemon in one process, the
/// `jobs/` examples plus a generated campaign, live progress and a result
/// table. Wiring only; the logic is ``DemoRunner`` (CallSpool) and
/// ``SimulatorScenario/tunedForDemo(ports:)`` (VoiceCallSimulator).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Simulator + daemon + the jobs/ examples, with live progress and a result table.",
        discussion: "Everything runs in this process on free loopback ports; nothing is sent to the real platform.")

    @Option(name: .long, help: ArgumentHelp("Keep the configuration, store and spool in this directory (default: a temporary one, removed).", valueName: "dir"))
    var dir: String?
    @Option(name: .long, help: ArgumentHelp("The example job files to submit.", valueName: "dir")) var jobs: String = "jobs"
    @Option(name: .long, help: ArgumentHelp("Simulator scenario (default: jobs/simulator/scenario.json when present).", valueName: "file"))
    var scenario: String?
    @Option(name: .long, help: "Calls in the generated campaign.") var calls: Int = 300
    @Option(name: .long, help: "Simulated seconds per real second.") var timeScale: Double = 60
    @Option(name: .long, help: "Stop after this many seconds even if jobs are unfinished.") var timeout: Int = 90
    @Option(name: .long, help: "Log level of the daemon and simulator (their logs go to stderr).") var logLevel: String = "error"

    func validate() throws {
        guard timeScale > 0 else { throw ValidationError("--time-scale must be greater than 0") }
        guard (0...100_000).contains(calls) else { throw ValidationError("--calls must be 0–100000") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .error
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return PhoneMaskingLogHandler(wrapping: handler)
        }
        let logger = Logger(label: "callspool.demo")
        let defaultScenario = jobs + "/simulator/scenario.json"
        let scenarioPath = scenario ?? (FileManager.default.fileExists(atPath: defaultScenario) ? defaultScenario : nil)
        let base: SimulatorScenario
        do {
            base = try scenarioPath.map(SimulatorScenario.load(path:)) ?? SimulatorScenario()
        } catch {
            printToStandardError("callspool demo: cannot read scenario \(scenarioPath ?? ""): \(error)")
            throw ExitStatus.userError
        }
        do {
            let simulator = VoiceCallSimulator(configuration: .init(
                scenario: base.tunedForDemo(), clock: SimulatorClock(timeScale: timeScale), logger: Logger(label: "callspool.simulator")))
            let port = try FreePort.pick()
            let platform = DemoPlatform(
                baseURL: "http://127.0.0.1:\(port)", appKey: simulator.credentials.appKey, appSecret: simulator.credentials.appSecret,
                displayNumbers: simulator.displayNumbers)
            let runner = DemoRunner(
                options: .init(
                    directory: dir, examples: FileManager.default.fileExists(atPath: jobs) ? jobs : nil, campaignSize: calls,
                    timeout: .seconds(timeout)),
                platform: platform, platformService: simulator.makeApplication(host: "127.0.0.1", port: port),
                isTTY: isatty(STDOUT_FILENO) == 1, write: { FileHandle.standardOutput.write(Data($0.utf8)) }, logger: logger)
            let report = try await runner.run()
            print("\n" + report.text)
            if let dir { print("\nkept in \(dir): callspool status --config \(dir)/callspool.toml") }
        } catch {
            printToStandardError("callspool demo: \(error)")
            throw ExitStatus.environmentError
        }
    }
}
