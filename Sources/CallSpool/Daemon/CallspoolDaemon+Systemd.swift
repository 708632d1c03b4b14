import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging
import VoiceCallAPI

extension CallspoolDaemon {
    /// The daemon's systemd side: `Type=notify` messages (ready once
    /// `readiness` is set, status, watchdog, stopping) and SIGHUP reloads of
    /// `[limits]`, `[backoff]`, `[defaults]` into the scheduler. The watchdog
    /// is fed only while every part in `beacons` makes progress.
    static func makeSystemdServices(
        configuration: Configuration, environment: [String: String], readiness: ReadinessSignal, database: any CallStore,
        schedulers: [Scheduler], portFigures: @escaping MetricsRefresher.PortFigures, beacons: [ProgressBeacon] = [], clock: any WallClock,
        storage: StorageHealth? = nil, logger: Logger
    ) -> (notify: SystemdNotifyService, reload: ReloadService) {
        let notify = SystemdNotifyService(environment: environment, readiness: readiness, beacons: beacons, logger: logger) {
            if let reason = storage?.current.reason { return reason }
            let ports = await portFigures()
            do {
                return DaemonStatusLine.make(
                    counts: try database.stateCounts(), ports: (ports.inUse, ports.effectiveLimit, ports.configured), pauses: try database.pauses(), halt: try database.halts().first, now: clock.now)
            } catch {
                return "store unreadable: \(error)"
            }
        }
        let reloader = ConfigurationReloader(
            current: configuration, schedulers: schedulers, loader: ConfigurationLoader(environment: environment), logger: logger)
        return (notify, ReloadService(reloader: reloader, notifier: notify.notifier, readiness: readiness, logger: logger))
    }
}
