import Logging
import ServiceLifecycle
import VoiceCallAPI

extension CallspoolDaemon {
    /// The callback receiver's server for `callspool run`, listening on
    /// `callbacks.listen`. The callback URLs were already checked against the
    /// platform's rules when the configuration loaded (``CallbackURL``).
    /// Warns loudly when signatures are not verified.
    static func makeCallbackServer(
        configuration: Configuration, database: AppDatabase, outbox: ResultsOutbox,
        onCallEnded: @escaping @Sendable (CallEndSignal) async -> Void, clock: any WallClock, logger: Logger,
        metrics: CallspoolMetrics = .disabled, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> (service: any Service, progress: ProgressBeacon) {
        let settings = CallbackReceiver.Settings(configuration.callbacks)
        if !settings.verifySignatures {
            logger.critical(
                "callbacks.verify_signatures = false: callback signatures are NOT checked; anyone who can reach \(configuration.callbacks.listen) can forge call outcomes and digits. Only run this way behind a proxy that authenticates the platform.")
        }
        let credentials = configuration.platform.appSecret.map {
            AppCredentials(appKey: configuration.platform.appKey, appSecret: $0)
        }
        let receiver = try CallbackReceiver(
            database: database, settings: settings, credentials: credentials, clock: clock, outbox: outbox,
            onCallEnded: onCallEnded, logger: logger, metrics: metrics)
        let sweeper = PendingEventSweeper(
            database: database, clock: clock, outbox: outbox, onCallEnded: onCallEnded, logger: logger)
        logger.info("callback receiver configured", metadata: [
            "listen": "\(configuration.callbacks.listen)", "statusPath": "\(settings.statusURL.path)",
            "feePath": "\(settings.feeURL.path)",
        ])
        let service = buildCallbackApplication(
            receiver: receiver, listen: configuration.callbacks.listen, services: [sweeper], onServerRunning: onServerRunning, logger: logger)
        return (service, receiver.progress)
    }
}
