import Synchronization

/// Carries ``CallEndSignal``s from the callback receiver to whoever frees
/// ports (the dispatcher), without either knowing the other.
///
/// Signals are handed over in batches: everything sent since the consumer
/// last took is taken at once (``take()``), so a group commit that ended
/// several calls costs the dispatcher one pass, not one per call. One
/// consumer waits on ``arrivals`` and then calls ``take()``; signals sent
/// before it starts are kept (unbounded: a signal is a few dozen bytes and
/// each call ends once), so no port release is lost at start-up.
public final class CallEndRelay: Sendable {
    /// Rings once when the first signal arrives after a ``take()`` (at most
    /// one ring is kept): then ``take()`` has something.
    public let arrivals: AsyncStream<Void>
    private let doorbell: AsyncStream<Void>.Continuation
    private let pending = Mutex<[CallEndSignal]>([])

    public init() {
        (arrivals, doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Hands one signal to the consumer; never blocks and never suspends, so
    /// the callback receiver can call it before answering.
    @Sendable public func send(_ signal: CallEndSignal) {
        send([signal])
    }

    /// Hands several signals to the consumer at once (one ring).
    public func send(_ signals: [CallEndSignal]) {
        guard !signals.isEmpty else { return }
        let ring = pending.withLock { pending in
            let wasEmpty = pending.isEmpty
            pending += signals
            return wasEmpty
        }
        if ring { doorbell.yield() }
    }

    /// Every signal sent since the last call, in order.
    public func take() -> [CallEndSignal] {
        pending.withLock { pending in
            let taken = pending
            pending.removeAll()
            return taken
        }
    }

    /// Ends ``arrivals`` (daemon shutdown).
    public func finish() {
        doorbell.finish()
    }
}
