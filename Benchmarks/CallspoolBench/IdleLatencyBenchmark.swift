import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import ServiceLifecycle

/// "File dropped → request sent, idle daemon": nothing else queued, one
/// verify file every `interval` (calls last ~0.4 s at time scale 60, so a
/// port is always free); latency from rename(2) to the request reaching the
/// simulator.
struct IdleLatencyBenchmark {
    var samples = 100
    var interval: Duration = .milliseconds(200)
    var setup = ScaledSetup(timeScale: 60, hiddenPorts: 100, configuredPorts: 10, verifyReserved: "auto")

    func run(logger: Logger) async throws -> LatencySummary {
        let run = try await SimulatorRun.start(scenario: try setup.scenario(), timeScale: setup.timeScale, logger: logger)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let configuration = try setup.configuration(platformBaseURL: run.baseURL, credentials: run.simulator.credentials, dir: dir)
        let parts = try CallspoolDaemon.makeParts(configuration: configuration, logger: logger)
        let daemon = CallspoolDaemon.makeServiceGroup(parts: parts, logger: logger)
        let daemonTask = Task { try await daemon.run() }
        try await Task.sleep(for: .milliseconds(1500))  // started and idle

        let dropper = VerifyDropper(layout: SpoolLayout(root: configuration.spool.dir))
        try await dropper.run(every: interval, count: samples, deadline: .now + .seconds(3600))
        let waitUntil = ContinuousClock.now + .seconds(10)
        while dropper.dropped.contains(where: { run.arrivals.firstVerify(callee: $0.callee) == nil }), ContinuousClock.now < waitUntil {
            try await Task.sleep(for: .milliseconds(20))
        }
        let summary = dropper.latencies(arrivals: run.arrivals)
        await daemon.triggerGracefulShutdown()
        _ = try? await daemonTask.value
        await run.stop()
        return summary
    }
}
