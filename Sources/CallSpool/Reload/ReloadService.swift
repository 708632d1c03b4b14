import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Logging
import ServiceLifecycle
import UnixSignals
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `systemctl reload` (SIGHUP): runs ``ConfigurationReloader/reload()``,
/// telling systemd `RELOADING=1` with `MONOTONIC_USEC` first and `READY=1`
/// after, as `sd_notify(3)` describes. SIGHUPs arriving during a reload
/// coalesce into one more reload. Until this service runs, SIGHUP keeps its
/// default action; the daemon is not reported ready before then (the service
/// reports ``ReadinessSignal/reload``).
public struct ReloadService: Service {
    public let reloader: ConfigurationReloader
    public let notifier: SystemdNotifier?
    /// Told ``ReadinessSignal/reload`` once SIGHUP is handled.
    public let readiness: ReadinessSignal?
    public let logger: Logger

    public init(reloader: ConfigurationReloader, notifier: SystemdNotifier?, readiness: ReadinessSignal? = nil, logger: Logger) {
        self.reloader = reloader
        self.notifier = notifier
        self.readiness = readiness
        self.logger = logger
    }

    public func run() async throws {
        Self.ignoreDefaultAction
        // Registered before readiness is reported: no SIGHUP is missed after READY=1.
        let signals = await UnixSignalsSequence(trapping: .sighup)
        // SIGHUPs that arrive during a reload coalesce into one more.
        let (hangups, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        readiness?.markReady(ReadinessSignal.reload)
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in signals { continuation.yield() }
                continuation.finish()
            }
            await cancelWhenGracefulShutdown {
                for await _ in hangups {
                    logger.info("SIGHUP: reloading the configuration")
                    await reloadOnce()
                }
            }
            continuation.finish()
            group.cancelAll()
        }
    }

    /// One reload with its systemd notifications.
    public func reloadOnce() async {
        notify("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())\nSTATUS=reloading the configuration")
        await reloader.reload()
        notify("READY=1")
    }

    private func notify(_ state: String) {
        guard let notifier else { return }
        do {
            try notifier.send(state)
        } catch {
            logger.warning("\(error)")
        }
    }

    /// SIGHUP's default action (terminate) off, once per process: the
    /// signal source receives it regardless. Once only, because setting
    /// SIG_IGN again after a source registered (a second daemon in the same
    /// process, as in tests) can discard the signal before the source sees it.
    private static let ignoreDefaultAction: Void = {
        signal(SIGHUP, SIG_IGN)
    }()

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}
