#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The service watchdog systemd asks for (`WatchdogSec=`): `$WATCHDOG_USEC`,
/// honoured only when `$WATCHDOG_PID` is unset or names this process, as
/// `sd_watchdog_enabled(3)` does. Pings go at half the timeout.
public enum WatchdogSettings {
    /// How often to send `WATCHDOG=1`, or nil when no watchdog is wanted.
    public static func pingInterval(environment: [String: String], pid: Int32 = getpid()) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], Int32(owner) != pid { return nil }
        return .microseconds(usec / 2)
    }
}
