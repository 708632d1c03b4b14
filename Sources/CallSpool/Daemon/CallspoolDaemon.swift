import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Builds the daemon: the services of `callspool run`, in start order, in one
/// `ServiceGroup` that owns signals and graceful shutdown (reverse order).
/// The executable and the end-to-end tests both call this.
public enum CallspoolDaemon {
    public static let version = "0.1.0"

    public struct Parts: Sendable {
        public var database: any CallStore
        /// The SQLite store, when the store is one (benchmarks seed it directly).
        public var sqlite: AppDatabase? { database as? AppDatabase }
        /// On a store shared by several instances: the dispatcher runs only
        /// while this instance holds the lease (nil: always).
        public var election: DispatcherElection?
        /// Keeps the store's cross-instance wake-ups registered.
        public var storeWakeups: (any Sendable)?
        public var intake: IntakeService
        public var heartbeat: HeartbeatService
        /// Port-release signals from the callback receiver, for the dispatcher.
        public var callEnds: CallEndRelay
        /// The callback receiver's HTTP server (with its pending-event sweeper).
        public var callbacks: any Service
        /// The HTTP API's server (docs/api.md); nil when it is off.
        public var api: (any Service)?
        public var results: ResultsOutboxService
        /// Sends the result webhooks' events; nil without `[webhooks.NAME]`.
        public var webhooks: WebhookSenderService?
        /// The one HTTP client of the process (shut down last).
        public var httpClient: HTTPClientService
        public var scheduler: Scheduler
        public var dispatch: DispatchService
        public var wakeup: Wakeup
        /// The daemon's own metrics registry and recorder (never the global one).
        public var metrics: CallspoolMetrics
        /// `GET /metrics` on `metrics.listen`, with the gauge refresher.
        public var metricsServer: MetricsService
        /// Set once the callback receiver listens (the store is open by then)
        /// and SIGHUP is handled.
        public var readiness: ReadinessSignal
        /// systemd notify protocol: READY/STATUS/WATCHDOG/STOPPING.
        public var systemdNotify: SystemdNotifyService
        /// SIGHUP: re-read the configuration.
        public var reload: ReloadService
        /// Whether the store can take writes; shared by every service.
        public var storage: StorageHealth
        /// Free space and writability checks; resumes work when space returns.
        public var storageMonitor: StorageMonitor
        /// Expires unknown jobs past their expiry; checkpoints the WAL after
        /// verify codes are erased.
        public var secrets: SecretErasureService
    }

    /// - Parameters:
    ///   - store: the store opened by ``StoreStartup`` (which waits for a
    ///     shared store that is down); nil: opened here, once.
    ///   - metrics: where measurements go; a fresh Prometheus registry per
    ///     daemon unless the caller passes one (tests, the demo).
    public static func makeParts(
        configuration: Configuration, store: StoreStartup.Opened? = nil, clock: any WallClock = SystemWallClock(), logger: Logger,
        metrics: CallspoolMetrics = .prometheus(), onMetricsServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        environment: [String: String] = ProcessInfo.processInfo.environment,
        onAPIServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> Parts {
        // On a shared store the dispatcher is elected: its lease fences
        // every dispatch write and guards every request.
        let listened: ListenedSockets
        do {
            listened = try ListenedSockets.from(environment: environment)
        } catch {
            throw ConfigurationError(file: "systemd socket activation", key: "LISTEN_FDNAMES", message: error.description)
        }
        let opened = try store ?? StoreStartup.openOnce(configuration: configuration, logger: logger)
        let (database, term) = (opened.database, opened.term)
        let layout = SpoolLayout(root: configuration.spool.dir)
        var policy = IntakePolicy(
            verifyTTL: configuration.defaults.verifyTTL, notifyTTL: configuration.defaults.notifyTTL, applications: configuration.routes,
            defaultWindow: configuration.defaults.window)
        policy.callGuard = configuration.callGuard
        let intake = SpoolIntake(
            database: database, layout: layout, policy: policy,
            maxFileBytes: configuration.spool.maxFileBytes, clock: clock, logger: logger)
        let wakeup = Wakeup()
        let storage = StorageHealth(logger: logger)
        let intakeService = IntakeService(
            intake: intake, settle: configuration.spool.settle, rescanInterval: configuration.spool.rescan, storage: storage
        ) { result in
            metrics.countIntake(result)
            if case .processed = result { wakeup.signal() }
        }
        let callEnds = CallEndRelay()
        let readiness = ReadinessSignal(waitingFor: [ReadinessSignal.callbacks, ReadinessSignal.reload])
        let outbox = ResultsOutbox(
            database: database, directory: configuration.results.dir, webhooks: WebhookEvents(endpoints: configuration.webhooks), clock: clock,
            logger: logger)
        let webhooks = configuration.webhooks.isEmpty
            ? nil
            : WebhookSenderService(
                database: database, endpoints: configuration.webhooks, owner: configuration.instanceName, wakes: outbox.webhookQueued, clock: clock, metrics: metrics, logger: logger)
        let unstored = UnstoredStatusEvents(metrics: metrics)
        let (callbacks, receiver) = try makeCallbackServer(
            configuration: configuration, database: database, onCallEnded: callEnds.send, clock: clock, logger: logger, metrics: metrics,
            storage: storage, unstored: unstored, onServerRunning: { _ in readiness.markReady(ReadinessSignal.callbacks) }, listened: listened)
        let api = try makeAPIServer(
            configuration: configuration, database: database, policy: policy, clock: clock, listened: listened, metrics: metrics,
            onQueued: { wakeup.signal() }, onServerRunning: onAPIServerRunning,
            logger: logger)
        let httpClient = HTTPClientService(
            connectTimeout: .seconds(5), readTimeout: configuration.applications.map(\.timeout).max() ?? configuration.platform.timeout)
        var built: [DispatchLane] = []
        for (index, application) in configuration.applications.enumerated() {
            guard let credentials = application.credentials else {
                throw ConfigurationError(file: configuration.source, key: "apps.\(application.name).app_secret_file", message: "the daemon needs the app secret")
            }
            let signer = RequestSigner(credentials: credentials, scheme: application.auth, clock: clock)
            let client = VoiceCallClient(
                configuration: .init(baseURL: application.baseURL, timeout: application.timeout, createdClock: application.createdClock.initial),
                signer: signer, httpClient: httpClient.client, logger: logger)
            let direct = VoiceCallPlacer(client: client, statusURL: configuration.callbacks.statusURL, feeURL: configuration.callbacks.feeURL)
            let placer: any CallPlacer = term.map { LeaseGuardedPlacer(direct, term: $0) } ?? direct
            var appLogger = logger
            if configuration.applications.count > 1 { appLogger[metadataKey: "app"] = "\(application.name)" }
            let scheduler = Scheduler(
                database: database, settings: SchedulerSettings(configuration, application: application, housekeeping: index == 0), clock: clock,
                logger: appLogger, metrics: metrics)
            built.append(DispatchLane(scheduler: scheduler, placer: placer))
        }
        let lanes = built
        let scheduler = lanes[0].scheduler
        var dispatch = DispatchService(lanes: lanes, wakeup: wakeup, clock: clock, callEnds: callEnds, logger: logger, metrics: metrics)
        dispatch.storage = storage
        let storageMonitor = StorageMonitor(
            health: storage, database: database,
            watched: configuration.watchedFilesystems,
            minFree: configuration.store.minFreeBytes, clock: clock,
            onRecovered: {
                await receiver.storeUnstoredEvents()
                for lane in lanes { await lane.scheduler.storageRecovered() }
                wakeup.signal()
                await intakeService.rescan()
            }, logger: logger)
        let applicationFigures: @Sendable () async -> [ApplicationFigures] = { await ApplicationFigures.collect(lanes: lanes, applications: configuration.applications) }
        let portFigures: MetricsRefresher.PortFigures = { ApplicationFigures.total(await applicationFigures()) }
        var refresher = MetricsRefresher(metrics: metrics, database: database, portFigures: portFigures, clock: clock, logger: logger)
        refresher.applicationFigures = applicationFigures
        refresher.storage = storage
        let metricsServer = MetricsService(
            registry: metrics.registry ?? .init(), listen: configuration.metrics.listen, refresher: refresher,
            onServerRunning: onMetricsServerRunning, logger: logger)
        var heartbeat = HeartbeatService(database: database, clock: clock, version: version, gapLimit: configuration.limits.callLease) {
            let ports = await scheduler.portFigures
            let reserve = await scheduler.reserveFigure
            return (ports.effectiveLimit, await scheduler.createdClock.rawValue, reserve.ports, reserve.reason)
        }
        heartbeat.applications = applicationFigures
        heartbeat.storage = storage
        let systemd = makeSystemdServices(
            configuration: configuration, environment: environment, readiness: readiness, database: database, schedulers: lanes.map(\.scheduler),
            portFigures: portFigures, beacons: [intakeService.progress, dispatch.progress, receiver.progress], clock: clock, storage: storage, logger: logger)
        var election: DispatcherElection?
        if let term, let leases = database as? any DispatcherLeaseStore {
            election = DispatcherElection(store: leases, term: term, dispatch: dispatch, ttl: configuration.store.lease, logger: logger)
            election?.storage = storage
            election?.clock = clock
        }
        // Files taken and calls ended on any instance wake this one's dispatcher.
        let wakeups = (database as? PostgresStore)?.observeWakeups { wakeup.signal() }
        return Parts(
            database: database, election: election, storeWakeups: wakeups, intake: intakeService, heartbeat: heartbeat, callEnds: callEnds, callbacks: callbacks, api: api,
            results: ResultsOutboxService(outbox: outbox), webhooks: webhooks, httpClient: httpClient, scheduler: scheduler, dispatch: dispatch, wakeup: wakeup,
            metrics: metrics, metricsServer: metricsServer, readiness: readiness, systemdNotify: systemd.notify, reload: systemd.reload,
            storage: storage, storageMonitor: storageMonitor,
            secrets: SecretErasureService(database: database, clock: clock, logger: logger))
    }

    public static func makeServiceGroup(parts: Parts, logger: Logger) -> ServiceGroup {
        ServiceGroup(
            configuration: .init(
                services: [
                    // First: after a restart the platform's pushes wait in
                    // the listen backlog, and every moment counts.
                    .init(service: parts.callbacks),
                    .init(service: parts.httpClient),
                ] + (parts.api.map { [.init(service: $0)] } ?? []) + [
                    .init(service: parts.storageMonitor),
                    .init(service: parts.heartbeat),
                    .init(service: parts.intake),
                    .init(service: parts.results),
                ] + (parts.webhooks.map { [.init(service: $0)] } ?? []) + [
                    .init(service: parts.metricsServer),
                    .init(service: parts.election.map { $0 as any Service } ?? parts.dispatch),
                    .init(service: parts.secrets),
                    .init(service: parts.reload),
                    // Last: READY=1 after the others started, STOPPING=1 first on shutdown.
                    .init(service: parts.systemdNotify),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
    }
}
