import Synchronization

/// A one-way latch that opens when every named part of the daemon reported
/// in (e.g. the callback receiver listens, the SIGHUP handler is installed);
/// ``SystemdNotifyService`` then sends `READY=1`. Reporting twice, or a part
/// that was not waited for, changes nothing.
public final class ReadinessSignal: Sendable {
    private let pending: Mutex<Set<String>>

    public init(waitingFor parts: Set<String>) {
        pending = Mutex(parts)
    }

    public func markReady(_ part: String) {
        _ = pending.withLock { $0.remove(part) }
    }

    /// The daemon's parts: the callback receiver listens.
    public static let callbacks = "callbacks"
    /// The daemon's parts: SIGHUP reloads instead of terminating.
    public static let reload = "reload"

    public var isReady: Bool { pending.withLock { $0.isEmpty } }
}
