import Foundation
import Logging
import ServiceLifecycle

/// Keeps systemd informed (docs/operations.md, `Type=notify`): `READY=1` once the
/// ``ReadinessSignal`` is set (store open, callback receiver listening),
/// `STATUS=` with queue figures every `statusInterval`, `WATCHDOG=1` at the
/// interval systemd asked for, and `STOPPING=1` when graceful shutdown begins.
///
/// The watchdog ping goes out from the same loop that computes the status,
/// which awaits the scheduler and reads the store: a daemon stuck there stops
/// pinging and systemd restarts it. Put this service last in the group so it
/// is the first told to shut down (`STOPPING=1` early). Without a notifier it
/// only waits for shutdown. Send failures are logged once and never stop the
/// daemon.
public struct SystemdNotifyService: Service {
    public let notifier: SystemdNotifier?
    public let readiness: ReadinessSignal
    public let statusInterval: Duration
    public let watchdogInterval: Duration?
    public let status: @Sendable () async -> String
    public let logger: Logger
    /// When set, `WATCHDOG=1` goes out only while every watched part makes
    /// progress; a stall sends `WATCHDOG=trigger` (systemd acts as on a
    /// missed ping) with a `STATUS=` naming the stalled parts.
    public var liveness: LivenessMonitor?

    public init(
        notifier: SystemdNotifier?, readiness: ReadinessSignal, statusInterval: Duration = .seconds(5), watchdogInterval: Duration?,
        liveness: LivenessMonitor? = nil, logger: Logger, status: @escaping @Sendable () async -> String
    ) {
        self.liveness = liveness
        self.notifier = notifier
        self.readiness = readiness
        self.statusInterval = statusInterval
        self.watchdogInterval = watchdogInterval
        self.status = status
        self.logger = logger
    }

    /// Reads `$NOTIFY_SOCKET`, `$WATCHDOG_USEC` and `$WATCHDOG_PID`.
    /// `beacons`: the parts that must keep making progress for the watchdog
    /// to be fed (limit: the watchdog timeout, twice the ping interval).
    public init(
        environment: [String: String], readiness: ReadinessSignal, beacons: [ProgressBeacon] = [], logger: Logger,
        status: @escaping @Sendable () async -> String
    ) {
        let ping = WatchdogSettings.pingInterval(environment: environment)
        self.init(
            notifier: SystemdNotifier(environment: environment), readiness: readiness, watchdogInterval: ping,
            liveness: ping.map { LivenessMonitor(beacons: beacons, limit: $0 * 2) }, logger: logger, status: status)
    }

    public func run() async throws {
        guard let notifier else {
            try? await gracefulShutdown()
            return
        }
        var sender = Sender(notifier: notifier, logger: logger)
        let clock = ContinuousClock()
        let readinessPoll = Duration.milliseconds(50)
        var readySent = false
        var nextStatus = clock.now
        var nextPing = clock.now
        var stallReported = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            var lines: [String] = []
            if !readySent, readiness.isReady {
                lines.append("READY=1")
                readySent = true
                nextStatus = clock.now
            }
            if readySent, clock.now >= nextStatus {
                lines.append("STATUS=" + (await status()))
                nextStatus = clock.now.advanced(by: statusInterval)
            }
            if let watchdogInterval, clock.now >= nextPing {
                let stalled = liveness?.stalledParts() ?? []
                if stalled.isEmpty {
                    lines.append("WATCHDOG=1")
                    stallReported = false
                } else if !stallReported {
                    let what = stalled.joined(separator: ", ")
                    logger.critical("no progress: \(what); withholding the watchdog ping so systemd restarts the daemon")
                    lines.removeAll { $0.hasPrefix("STATUS=") }
                    lines.append("STATUS=stalled: \(what)")
                    lines.append("WATCHDOG=trigger")
                    stallReported = true
                }
                nextPing = clock.now.advanced(by: watchdogInterval)
            }
            if !lines.isEmpty { sender.send(lines.joined(separator: "\n")) }
            let base = readySent ? nextStatus : clock.now.advanced(by: readinessPoll)
            let wake = watchdogInterval != nil && nextPing < base ? nextPing : base
            try? await cancelWhenGracefulShutdown { try await Task.sleep(until: wake, clock: clock) }
        }
        sender.send("STOPPING=1\nSTATUS=stopping: finishing requests in flight")
    }

    /// Sends and logs the first failure (then only at debug level).
    struct Sender {
        let notifier: SystemdNotifier
        let logger: Logger
        var failed = false

        mutating func send(_ state: String) {
            do {
                try notifier.send(state)
            } catch {
                logger.log(level: failed ? .debug : .warning, "\(error)")
                failed = true
            }
        }
    }
}
