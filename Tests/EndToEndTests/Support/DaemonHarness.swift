import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import ServiceLifecycle
import Testing
import VoiceCallAPI
import VoiceCallSimulator

/// The daemon as `callspool run` builds it (``CallspoolDaemon/makeParts(configuration:clock:logger:metrics:onMetricsServerRunning:environment:)``
/// and ``CallspoolDaemon/makeServiceGroup(parts:logger:)``), in this process,
/// against a ``SimulatorFixture`` on loopback. Both share one wall clock, so a
/// test can run on real time or on a ``TestClock`` it moves.
///
/// Use ``run(_:_:)``: it starts both, waits until the daemon is ready, runs
/// the scenario and always shuts both down.
struct DaemonHarness: Sendable {
    struct Options: Sendable {
        /// Simulator scenario (JSON).
        var scenario: String
        var config = DaemonConfig()
        /// The environment the configuration is read with (API tokens, …).
        var environment: [String: String] = [:]
        /// Simulated call seconds per real second.
        var timeScale: Double = 20
        var seed: UInt64 = 3
        var clock: any WallClock = SystemWallClock()
        /// Runs on the scratch directory (store and spool go there) before
        /// the daemon is built, e.g. to mount a small filesystem on it.
        var prepareDirectory: (@Sendable (String) throws -> Void)?
        /// The daemon's logger (default: quiet, see ``TestLogging``).
        var logger: Logger?
        /// A directory (store and spool) of the caller's, kept after the
        /// run: a second run on it is the daemon restarted. Nil: a fresh one.
        var directory: ScratchDirectory?
    }

    let simulator: VoiceCallSimulator
    let parts: CallspoolDaemon.Parts
    let configuration: Configuration
    let scratch: ScratchDirectory
    let clock: any WallClock

    var database: AppDatabase { parts.database as! AppDatabase }

    struct NotReady: Error {}

    static func run(_ options: Options, _ body: (DaemonHarness) async throws -> Void) async throws {
        let scratch = try options.directory ?? ScratchDirectory("e2e")
        defer { if options.directory == nil { scratch.remove() } }
        try options.prepareDirectory?(scratch.path)
        let platform = try await SimulatorFixture.start(
            scenario: options.scenario, timeScale: options.timeScale, seed: options.seed, clock: options.clock)
        let outcome: Result<Void, any Error>
        do {
            let callbackPort = try FreePort.pick()
            let toml = options.config.toml(
                directory: scratch.path, platformPort: platform.port, callbackPort: callbackPort, credentials: platform.simulator.credentials)
            let configuration = try ConfigurationLoader(environment: options.environment).parse(toml, file: "e2e.toml", purpose: .daemon)
            let logger = options.logger ?? TestLogging.logger("e2e")
            let parts = try CallspoolDaemon.makeParts(configuration: configuration, clock: options.clock, logger: logger, environment: [:])
            let group = CallspoolDaemon.makeServiceGroup(parts: parts, logger: logger)
            let daemon = Task { try await group.run() }
            let harness = DaemonHarness(simulator: platform.simulator, parts: parts, configuration: configuration, scratch: scratch, clock: options.clock)
            do {
                guard try await eventually({ parts.readiness.isReady }) else { throw NotReady() }
                try await body(harness)
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await daemon.value
        } catch {
            try? await platform.stop()
            throw error
        }
        try await platform.stop()
        try outcome.get()
    }

    /// Drops `lines` (one job each) into the spool.
    func submit(_ lines: [String]) throws {
        try scratch.submit(lines, spool: configuration.spool.dir)
    }

    /// Drops a file (a campaign `.json`, …) into the spool.
    func submit(contents: String, fileName: String) throws {
        try scratch.submit(contents: contents, fileName: fileName, spool: configuration.spool.dir)
    }

    func counts() throws -> [JobState: Int] { try database.stateCounts() }

    /// Non-zero state counts, for failure messages.
    var states: String {
        guard let counts = try? counts() else { return "(store unreadable)" }
        return counts.filter { $0.value > 0 }.map { "\($0.key.rawValue): \($0.value)" }.sorted().joined(separator: ", ")
    }

    func job(_ id: String) throws -> JobDetail {
        guard let detail = try database.jobDetail(id: id) else { throw UnknownJob(id: id) }
        return detail
    }

    struct UnknownJob: Error { var id: String }

    /// The job's row, nil while intake has not queued it yet.
    func record(_ id: String) -> JobRecord? {
        (try? database.jobDetail(id: id))??.job
    }

    /// Waits (real time) until `count` jobs are in `state`; returns whether they got there.
    func waitFor(_ state: JobState, count: Int, timeout: Duration = .seconds(10)) async throws -> Bool {
        try await eventually(timeout: timeout) { try counts()[state] == count }
    }

    /// Requests the simulator answered, per result code, for one callee.
    func requests(to callee: String) async -> [SimulatorSnapshot.RequestRecord] {
        await simulator.snapshot().requests.filter { $0.calleeNbr == callee }
    }
}
