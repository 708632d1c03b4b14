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
        public var database: AppDatabase
        public var intake: IntakeService
        public var heartbeat: HeartbeatService
        /// Port-release signals from the callback receiver, for the dispatcher.
        public var callEnds: CallEndRelay
        /// The callback receiver's HTTP server (with its pending-event sweeper).
        public var callbacks: any Service
        public var results: ResultsOutboxService
    }

    public static func makeParts(configuration: Configuration, clock: any WallClock = SystemWallClock(), logger: Logger) throws -> Parts {
        let database = try AppDatabase.open(path: configuration.store.path)
        let layout = SpoolLayout(root: configuration.spool.dir)
        let intake = SpoolIntake(
            database: database, layout: layout,
            policy: IntakePolicy(verifyTTL: configuration.defaults.verifyTTL, notifyTTL: configuration.defaults.notifyTTL),
            maxFileBytes: configuration.spool.maxFileBytes, clock: clock, logger: logger)
        let intakeService = IntakeService(intake: intake, settle: configuration.spool.settle, rescanInterval: configuration.spool.rescan)
        let heartbeat = HeartbeatService(database: database, clock: clock, version: version)
        let callEnds = CallEndRelay()
        let outbox = ResultsOutbox(database: database, directory: configuration.results.dir, logger: logger)
        let callbacks = try makeCallbackServer(
            configuration: configuration, database: database, outbox: outbox, onCallEnded: callEnds.send, clock: clock, logger: logger)
        return Parts(
            database: database, intake: intakeService, heartbeat: heartbeat, callEnds: callEnds, callbacks: callbacks,
            results: ResultsOutboxService(outbox: outbox))
    }

    public static func makeServiceGroup(parts: Parts, logger: Logger) -> ServiceGroup {
        ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: parts.heartbeat),
                    .init(service: parts.intake),
                    .init(service: parts.results),
                    .init(service: parts.callbacks),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
    }
}
