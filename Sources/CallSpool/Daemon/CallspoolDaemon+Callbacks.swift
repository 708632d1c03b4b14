import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Logging
import ServiceLifecycle
import VoiceCallAPI

extension CallspoolDaemon {
    /// The callback receiver's server for `callspool run`, listening on
    /// `callbacks.listen`. The callback URLs were already checked against the
    /// platform's rules when the configuration loaded (``CallbackURL``).
    /// Warns loudly when signatures are not verified.
    static func makeCallbackServer(
        configuration: Configuration, database: any CallStore,
        onCallEnded: @escaping @Sendable (CallEndSignal) -> Void, clock: any WallClock, logger: Logger,
        metrics: CallspoolMetrics = .disabled, storage: StorageHealth? = nil, unstored: UnstoredStatusEvents? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }, listened: ListenedSockets = ListenedSockets()
    ) throws -> (server: any Service, receiver: CallbackReceiver) {
        let settings = CallbackReceiver.Settings(configuration.callbacks)
        if !settings.verifySignatures {
            logger.critical(
                "callbacks.verify_signatures = false: callback signatures are NOT checked; anyone who can reach \(configuration.callbacks.listen) can forge call outcomes and digits. Only run this way behind a proxy that authenticates the platform.")
        }
        let applications = configuration.applications.compactMap { app in app.credentials.map { (name: app.name, credentials: $0) } }
        var receiver = try CallbackReceiver(
            database: database, settings: settings, credentials: nil, applications: applications, clock: clock,
            onCallEnded: onCallEnded, logger: logger, metrics: metrics)
        receiver.storage = storage
        receiver.unstored = unstored
        let sweeper = PendingEventSweeper(
            database: database, clock: clock, onCallEnded: onCallEnded, logger: logger, metrics: metrics)
        logger.info("callback receiver configured", metadata: [
            "listen": "\(configuration.callbacks.listen)", "statusPath": "\(settings.statusURL.path)",
            "feePath": "\(settings.feeURL.path)", "maxConnections": "\(settings.maxConnections)",
            "readTimeout": "\(DurationText.format(settings.readTimeout))",
        ])
        logDescriptorLimit(maxConnections: settings.maxConnections, logger: logger)
        // A socket systemd holds across restarts wins over binding `listen`.
        let listener: CallbackListener = listened.descriptor(named: "callbacks").map { .passedSocket($0) } ?? .address(configuration.callbacks.listen)
        if case .passedSocket(let descriptor) = listener {
            logger.notice("callbacks: accepting on the socket systemd passed (fd \(descriptor)); [callbacks] listen is not bound")
        }
        let server = buildCallbackServer(
            receiver: receiver, listener: listener, services: [sweeper], onServerRunning: onServerRunning, logger: logger)
        return (server, receiver)
    }

    /// Logs the open-file limit at start, and warns when
    /// `callbacks.max_connections` would not leave room for the rest.
    static func logDescriptorLimit(maxConnections: Int, logger: Logger) {
        guard let limit = DescriptorLimit.current() else {
            logger.warning("could not read the open-file limit (getrlimit RLIMIT_NOFILE)")
            return
        }
        logger.info("open-file limit (RLIMIT_NOFILE): \(limit)")
        if !limit.fits(maxConnections: maxConnections) {
            logger.warning(
                "open-file limit \(limit.soft) leaves little room beside callbacks.max_connections = \(maxConnections) (\(DescriptorLimit.reserve) descriptors are kept for the store, platform requests and spool files): raise LimitNOFILE= in the unit or lower callbacks.max_connections")
        }
    }
}
