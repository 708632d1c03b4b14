import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VoiceCallAPI

/// `callspool demo`: runs a platform (the simulator, started by the caller)
/// and a complete daemon in-process on free loopback ports, submits the
/// `jobs/` examples and a generated campaign through the spool like any
/// writer, shows progress until every job has settled or the time limit, and
/// returns the result figures.
///
/// Guarantees: it always ends (at `timeout` at the latest), shuts the daemon
/// and the platform down gracefully, and removes its temporary directory
/// unless the caller chose one to keep.
public struct DemoRunner: Sendable {
    public struct Options: Sendable {
        /// Keep the store, spool and configuration here; nil uses a temporary directory removed at the end.
        public var directory: String?
        /// The example job files (`jobs/`); nil or missing submits only the campaign.
        public var examples: String?
        public var campaignSize: Int
        public var timeout: Duration
        /// How often progress is redrawn on a terminal (plain output: every 2 s).
        public var refresh: Duration
        public var maxConcurrentCalls: Int

        public init(
            directory: String? = nil, examples: String? = "jobs", campaignSize: Int = 300, timeout: Duration = .seconds(90),
            refresh: Duration = .milliseconds(250), maxConcurrentCalls: Int = 24
        ) {
            self.directory = directory
            self.examples = examples
            self.campaignSize = campaignSize
            self.timeout = timeout
            self.refresh = refresh
            self.maxConcurrentCalls = maxConcurrentCalls
        }
    }

    public let options: Options
    public let platform: DemoPlatform
    /// The platform's server; started before the daemon, stopped after it.
    public let platformService: any Service
    public let isTTY: Bool
    let write: @Sendable (String) -> Void
    let logger: Logger

    public init(
        options: Options, platform: DemoPlatform, platformService: any Service, isTTY: Bool,
        write: @escaping @Sendable (String) -> Void, logger: Logger
    ) {
        self.options = options
        self.platform = platform
        self.platformService = platformService
        self.isTTY = isTTY
        self.write = write
        self.logger = logger
    }

    public func run() async throws -> DemoReport {
        let directory = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("callspool-demo-\(UUID().uuidString)").path
        defer { if options.directory == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let demo = DemoConfiguration(
            directory: directory, platform: platform, callbackPort: try FreePort.pick(), metricsPort: try FreePort.pick(),
            maxConcurrentCalls: options.maxConcurrentCalls)
        try demo.write()
        let configuration = try ConfigurationLoader(environment: [:]).load(path: demo.configPath, purpose: .daemon)
        let parts = try CallspoolDaemon.makeParts(configuration: configuration, logger: logger)
        write("callspool demo\n  platform  simulator at \(platform.baseURL)\n  daemon    \(demo.configPath)\n  metrics   \(demo.metricsURL)\n")
        let expected = try submitJobs(demo: demo)
        write("  submitted \(expected) jobs; calls play at simulator speed (time limit \(DurationText.format(options.timeout)))\n\n")

        let group = ServiceGroup(configuration: .init(
            services: [.init(service: platformService), .init(service: CallspoolDaemon.makeServiceGroup(parts: parts, logger: logger))],
            logger: logger))
        let stopped = Mutex(false)
        let running = Task {
            defer { stopped.withLock { $0 = true } }
            try await group.run()
        }
        let started = ContinuousClock.now
        let elapsed = { let d = ContinuousClock.now - started; return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        let progress = DemoProgress(isTTY: isTTY)
        var lastPlain = -2.0
        var timedOut = false
        while true {
            try? await Task.sleep(for: options.refresh)
            let counts = try parts.database.stateCounts()
            let ports = await parts.scheduler.portFigures
            let now = elapsed()
            if isTTY || now - lastPlain >= 2 {
                lastPlain = now
                write(progress.render(counts: counts, elapsed: now, portsInUse: ports.inUse, portLimit: ports.effectiveLimit))
            }
            if Self.settled(counts, incoming: Self.waitingFiles(demo)) { break }
            if stopped.withLock({ $0 }) { break }
            if now >= options.timeout.timeInterval {
                timedOut = true
                break
            }
        }
        let counts = try parts.database.stateCounts()
        let ports = await parts.scheduler.portFigures
        write(progress.render(counts: counts, elapsed: elapsed(), portsInUse: ports.inUse, portLimit: ports.effectiveLimit) + (isTTY ? "\n" : ""))
        await group.triggerGracefulShutdown()
        do {
            try await running.value
        } catch {
            logger.error("demo services stopped with an error: \(error)")
        }
        return DemoReport(
            figures: try parts.database.runFigures(), errors: try parts.database.recentErrors(limit: 5), elapsed: elapsed(),
            timedOut: timedOut, effectivePortLimit: ports.effectiveLimit, configuredPortLimit: ports.configured)
    }

    /// Every submitted file has been taken in and no job is waiting or calling.
    static func settled(_ counts: [JobState: Int], incoming: Int) -> Bool {
        let active = counts[.queued, default: 0] + counts[.dispatching, default: 0] + counts[.inCall, default: 0]
        return incoming == 0 && active == 0
    }

    /// Files still in `incoming/`.
    static func waitingFiles(_ demo: DemoConfiguration) -> Int {
        let incoming = SpoolLayout(root: demo.spoolDirectory).incoming
        return ((try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []).filter { !SpoolLayout.isIgnored($0) }.count
    }

    /// Writes the adapted examples and the campaign to a staging directory
    /// and submits each like `callspool submit` (validate, then rename into
    /// `incoming/`). Returns how many jobs were accepted.
    func submitJobs(demo: DemoConfiguration) throws -> Int {
        let layout = SpoolLayout(root: demo.spoolDirectory)
        try layout.ensureExists()
        let staging = demo.directory + "/staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var files: [String] = []
        for path in options.examples.map(DemoJobs.examples(in:)) ?? [] {
            let name = (path as NSString).lastPathComponent
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                let adapted = try DemoJobs.adapt(data, jsonl: name.hasSuffix(".jsonl"))
                try adapted.write(to: URL(fileURLWithPath: staging + "/" + name))
                files.append(staging + "/" + name)
            } catch {
                write("  skipped \(name): \(error)\n")
            }
        }
        let stamp = Int(Date().timeIntervalSince1970)
        let campaign = staging + "/demo-campaign-\(stamp).json"
        try DemoJobs.campaign(name: "demo-\(stamp)", size: options.campaignSize).write(to: URL(fileURLWithPath: campaign))
        files.append(campaign)
        let submitter = SpoolSubmitter(layout: layout)
        var accepted = 0
        for file in files {
            let name = (file as NSString).lastPathComponent
            switch try submitter.submit(path: file, allowPartial: true) {
            case .submitted(_, let report):
                accepted += report.accepted
                write("  submitted \(name): \(report.accepted) jobs\n")
            case .invalid(let report):
                write("  not submitted \(name): \(report.error ?? report.rejected.first?.error ?? "no valid job")\n")
            }
        }
        return accepted
    }
}
