import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI
import VoiceCallSimulator

/// Issue 6 item 9 (b) and (c): a notify campaign against a simulator whose
/// port limit (`hiddenPorts`) is below the daemon's `max_concurrent_calls`,
/// time-scaled; while it runs, single verify job files are dropped into the
/// spool and their drop-to-request latency is measured.
struct CampaignBenchmark {
    var calls = 2000
    var setup = ScaledSetup(timeScale: 60, hiddenPorts: 7, configuredPorts: 10, verifyReserved: "auto")
    /// Verify files dropped during the campaign (0: none), one per `verifyInterval`.
    var verifySamples = 200
    var verifyInterval: Duration = .milliseconds(500)
    /// One verify job only, dropped halfway through a campaign that saw no
    /// verify job before (the reserve is 0): how long the first login code
    /// after a quiet hour waits while every port is busy.
    var firstVerifyOnly = false

    var scriptedCallRealSeconds: Double { setup.nominalCallSeconds / setup.timeScale }
    /// The campaign's makespan if the hidden ports were always busy.
    var estimatedIdeal: Double { Double(calls) * scriptedCallRealSeconds / Double(setup.hiddenPorts) }
    /// Give up after this long.
    var timeout: Duration { .seconds(max(120, Int(estimatedIdeal * 6))) }

    func runCallspool(logger: Logger) async throws -> (CampaignResult, LatencySummary?, String) {
        let run = try await SimulatorRun.start(scenario: try setup.scenario(), timeScale: setup.timeScale, logger: logger)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let configuration = try setup.configuration(platformBaseURL: run.baseURL, credentials: run.simulator.credentials, dir: dir)
        let parts = try CallspoolDaemon.makeParts(configuration: configuration, logger: logger)
        _ = try parts.database.insertJobs(
            setup.notifyJobs(count: calls, prefix: "campaign-"), intakeKey: "bench", sourceFile: "bench", policy: IntakePolicy(), now: Date())
        let daemon = CallspoolDaemon.makeServiceGroup(parts: parts, logger: logger)
        let started = ContinuousClock.now
        let daemonTask = Task { try await daemon.run() }

        // Verify drops start once the campaign has filled the ports and stop
        // well before it ends, so every sample sees a saturated platform.
        let dropper = VerifyDropper(layout: SpoolLayout(root: configuration.spool.dir))
        let dropStart = started + .seconds(firstVerifyOnly ? estimatedIdeal * 0.5 : max(2, estimatedIdeal * 0.05))
        let dropEnd = started + .seconds(estimatedIdeal * 0.8)
        let samples = verifySamples
        let interval = verifyInterval
        let dropTask = Task {
            try await Task.sleep(until: dropStart)
            try await dropper.run(every: interval, count: samples, deadline: dropEnd)
        }

        var sampler = PortSampler(simulator: run.simulator)
        var end = ContinuousClock.now
        // Time spent at each effective port limit of the daemon (from its first request on).
        var limitSeconds: [Int: Double] = [:]
        var lastLimit: (limit: Int, at: ContinuousClock.Instant)?
        // Time-weighted verify reserve, from the daemon's first request on.
        var reserveSeconds = 0.0
        var lastReserve: (ports: Int, at: ContinuousClock.Instant)?
        while true {
            let figures = await sampler.poll()
            let ports = await parts.scheduler.portFigures
            let limit = ports.effectiveLimit
            end = ContinuousClock.now
            if let lastLimit { limitSeconds[lastLimit.limit, default: 0] += (end - lastLimit.at).timeInterval }
            if let lastReserve { reserveSeconds += Double(lastReserve.ports) * (end - lastReserve.at).timeInterval }
            if run.arrivals.first != nil {
                lastLimit = (limit, end)
                lastReserve = (ports.reserve, end)
            }
            let expected = calls + dropper.dropped.count
            if dropper.finished, figures.completedCalls >= expected { break }
            if end - started > timeout {
                print("TIMEOUT: \(figures.completedCalls) of \(expected) calls completed after \(timeout)")
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try? await dropTask.value
        let figures = sampler.latest
        let counts = try parts.database.stateCounts()
        await daemon.triggerGracefulShutdown()
        _ = try? await daemonTask.value
        await run.stop()

        let first = run.arrivals.first ?? started
        let verifyCount = dropper.dropped.count
        let result = CampaignResult(
            who: "callspool", calls: figures.completedCalls, verifyCalls: verifyCount, makespan: (end - first).timeInterval,
            portSeconds: sampler.portSeconds, requests: figures.requests, refusedPorts: figures.refusedPorts, peakPorts: figures.peakPorts,
            hiddenPorts: setup.hiddenPorts, scriptedCallSeconds: scriptedCallRealSeconds)
        let states = counts.filter { $0.value > 0 }.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", ")
        let total = max(1e-9, limitSeconds.values.reduce(0, +))
        let limits = limitSeconds.sorted { $0.key < $1.key }.map { String(format: "%d: %.1f %%", $0.key, $0.value / total * 100) }.joined(separator: ", ")
        let meanReserve = reserveSeconds / total
        let bound = Double(figures.completedCalls) * scriptedCallRealSeconds / max(1e-9, Double(setup.hiddenPorts) - meanReserve)
        let notes = "daemon job states at the end: \(states); share of the run at each effective port limit: \(limits)"
            + String(format: "; mean verify reserve %.2f ports; makespan ÷ (all calls × mean call ÷ (limit − mean reserve)) = %.3f", meanReserve, (end - (run.arrivals.first ?? started)).timeInterval / bound)
        return (result, verifyCount > 0 ? dropper.latencies(arrivals: run.arrivals) : nil, notes)
    }

    func runNaive(logger: Logger) async throws -> CampaignResult {
        let run = try await SimulatorRun.start(scenario: try setup.scenario(), timeScale: setup.timeScale, logger: logger)
        let dispatcher = NaiveDispatcher(
            baseURL: run.baseURL, credentials: run.simulator.credentials, displayNbr: ScaledSetup.displayNumber,
            interval: .seconds(setup.nominalCallSeconds / Double(setup.configuredPorts) / setup.timeScale),
            portsSleep: .seconds(60 / setup.timeScale))
        let specs = setup.notifyJobs(count: calls, prefix: "naive-")
        let started = ContinuousClock.now
        let sendTask = Task { try await dispatcher.run(callees: specs.map(\.calleeNbr)) }
        var sampler = PortSampler(simulator: run.simulator)
        var end = ContinuousClock.now
        while true {
            let figures = await sampler.poll()
            end = ContinuousClock.now
            if figures.completedCalls >= calls { break }
            if end - started > timeout {
                print("TIMEOUT (naive): \(figures.completedCalls) of \(calls) calls completed after \(timeout)")
                sendTask.cancel()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = try? await sendTask.value
        await dispatcher.shutdown()
        let figures = sampler.latest
        await run.stop()
        return CampaignResult(
            who: "naive (fixed rate, sleep 60 s on 1020154)", calls: figures.completedCalls, verifyCalls: 0,
            makespan: (end - (run.arrivals.first ?? started)).timeInterval, portSeconds: sampler.portSeconds, requests: figures.requests,
            refusedPorts: figures.refusedPorts, peakPorts: figures.peakPorts, hiddenPorts: setup.hiddenPorts,
            scriptedCallSeconds: scriptedCallRealSeconds)
    }
}
