import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import ServiceLifecycle

/// Issue 6 item 9 (d): resident memory of the daemon with 1,000,000 queued
/// notify jobs. Three processes, so filling the store does not count:
/// `memory` creates a directory and runs `memory-fill DIR N` then
/// `memory-run DIR SECONDS` (this executable, re-executed). The run process
/// starts a simulator with 10 ports and hour-long calls (time scale 1), so
/// the first calls hold every port and the queue stays full while the
/// scheduler keeps ticking, and samples /proc/self/statm once a second.
/// Then (issue 12 item 5) it cancels the whole campaign the jobs belong to
/// through the daemon, as `callspool cancel --campaign` does, and reports
/// the peak RSS while the daemon applies it (paged: ≤ 150 MB for 1,000,000).
enum MemoryBenchmark {
    static func parent(jobs: Int, seconds: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-bench-mem-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try runSelf(["memory-fill", dir, String(jobs)])
        try runSelf(["memory-run", dir, String(seconds)])
    }

    static func runSelf(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(arguments[0]) exited with \(process.terminationStatus)") }
    }

    static let campaign = "mem"

    static func fill(dir: String, jobs: Int) throws {
        let database = try AppDatabase.open(path: dir + "/store.sqlite")
        let setup = ScaledSetup(timeScale: 1, hiddenPorts: 10, configuredPorts: 10, verifyReserved: "auto")
        let batch = 10_000
        var inserted = 0
        let seconds = try elapsed {
            var start = 0
            while start < jobs {
                let count = min(batch, jobs - start)
                let specs = setup.notifyJobs(count: count, prefix: "mem-", from: start).map { spec in
                    var spec = spec
                    spec.campaign = campaign
                    return spec
                }
                inserted += try database.insertJobs(specs, intakeKey: "bench-fill-\(start)", sourceFile: "bench-fill", policy: IntakePolicy(), now: Date()).accepted
                start += count
            }
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: dir + "/store.sqlite")[.size]) as? NSNumber)?.doubleValue ?? 0
        print(String(format: "filled the store with %d queued notify jobs in %.1f s (%.0f jobs/s), file %.0f MB (filler process peak RSS %.0f MB, not counted)",
                     inserted, seconds, Double(inserted) / seconds, size / 1_048_576, peakRSSMegabytes()))
    }

    static func run(dir: String, seconds: Int) async throws {
        var quiet = Logger(label: "bench")
        quiet.logLevel = .error
        let before = ResidentMemory.currentMegabytes()
        var setup = ScaledSetup(timeScale: 1, hiddenPorts: 10, configuredPorts: 10, verifyReserved: "auto")
        setup.talkSeconds = (min: 7200, max: 7200)
        let simulator = try await SimulatorRun.start(scenario: try setup.scenario(), timeScale: 1, logger: quiet)
        let configuration = try setup.configuration(platformBaseURL: simulator.baseURL, credentials: simulator.simulator.credentials, dir: dir)
        let parts = try CallspoolDaemon.makeParts(configuration: configuration, logger: quiet)
        let daemon = CallspoolDaemon.makeServiceGroup(parts: parts, logger: quiet)
        let withSimulator = ResidentMemory.currentMegabytes()
        let daemonTask = Task { try await daemon.run() }
        var samples: [Double] = []
        for second in 1...max(1, seconds) {
            try await Task.sleep(for: .seconds(1))
            let rss = ResidentMemory.currentMegabytes()
            samples.append(rss)
            if second == 1 || second % 5 == 0 || second == seconds { print(String(format: "  t=%3d s: RSS %.1f MB", second, rss)) }
        }
        let peak = ResidentMemory.peakMegabytes()
        let current = ResidentMemory.currentMegabytes()
        let requests = simulator.arrivals.count
        let counts = try parts.database.stateCounts()
        try await cancelCampaign(parts.database)
        await daemon.triggerGracefulShutdown()
        _ = try? await daemonTask.value
        await simulator.stop()
        print(String(format: "process RSS before the simulator %.1f MB; with simulator and store open %.1f MB", before, withSimulator))
        print("requests sent \(requests); jobs queued \(counts[.queued] ?? 0), in_call \(counts[.inCall] ?? 0), dispatching \(counts[.dispatching] ?? 0)")
        print(String(format: "resident memory with %d queued jobs over %d s: peak (ru_maxrss) %.1f MB, current (statm) %.1f MB, min–max of 1 s samples %.1f–%.1f MB (target ≤ 150 MB: %@)",
                     counts[.queued] ?? 0, seconds, peak, current, samples.min() ?? .nan, samples.max() ?? .nan, peak <= 150 ? "meets" : "BELOW"))
    }

    /// Cancels the campaign through an intent the running daemon applies,
    /// sampling RSS twice a second until it is applied.
    static func cancelCampaign(_ database: any CallStore) async throws {
        let queued = try database.stateCounts()[.queued] ?? 0
        let before = ResidentMemory.currentMegabytes()
        let started = ContinuousClock.now
        let intent = try database.request(.cancel(ids: [], campaign: campaign), now: Date())
        var samples: [Double] = []
        var summary: String?
        while summary == nil {
            try await Task.sleep(for: .milliseconds(500))
            samples.append(ResidentMemory.currentMegabytes())
            summary = try database.intent(id: intent).flatMap { $0.appliedAt == nil ? nil : $0.result }
        }
        let took = ContinuousClock.now - started
        let peak = ResidentMemory.peakMegabytes()
        print(String(format: "cancel of campaign %@ (%d queued jobs) applied by the daemon in %.1f s: %@", campaign, queued,
                     Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18, summary ?? "-"))
        print(String(format: "resident memory during the cancel: before %.1f MB, 0.5 s samples max %.1f MB, process peak (ru_maxrss) %.1f MB (target ≤ 150 MB: %@)",
                     before, samples.max() ?? .nan, peak, peak <= 150 ? "meets" : "BELOW"))
    }
}
