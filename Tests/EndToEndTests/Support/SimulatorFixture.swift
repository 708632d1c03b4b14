import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI
import VoiceCallSimulator

/// The simulator serving on a free loopback port, in this process.
struct SimulatorFixture: Sendable {
    let simulator: VoiceCallSimulator
    let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    struct StartFailed: Error {}

    /// Starts a simulator from scenario JSON; its wall clock is `clock`
    /// (signatures, rate windows), call playback runs `timeScale` times faster.
    static func start(scenario json: String, timeScale: Double, seed: UInt64 = 3, clock: any WallClock = SystemWallClock()) async throws
        -> SimulatorFixture
    {
        let scenario = try JSONDecoder().decode(SimulatorScenario.self, from: Data(json.utf8))
        let simulator = VoiceCallSimulator(configuration: .init(
            scenario: scenario, clock: SimulatorClock(wall: clock, timeScale: timeScale), seed: seed, inspection: true,
            logger: TestLogging.logger("sim")))
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = simulator.makeApplication(host: "127.0.0.1", port: 0) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: TestLogging.logger("sim-group")))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw StartFailed()
        }
        return SimulatorFixture(simulator: simulator, port: port, group: group, task: task)
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

enum TestLogging {
    /// Quiet by default (`E2E_LOG_LEVEL=debug` … to see the daemon and simulator).
    static func logger(_ label: String) -> Logger {
        guard let level = ProcessInfo.processInfo.environment["E2E_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) else {
            return Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
