/// Wakes the results drainer (``ResultsOutboxService``): fired after every
/// commit that queued a results file (``AppDatabase/observeQueuedResults(_:)``)
/// and by the drainer's own safety-net poll.
///
/// Exists so the store's writer queue can say "there is work" without
/// knowing the drainer and without waiting for it. Guarantees: ``fire()``
/// never blocks or suspends (it runs inside the store's commit hook); fires
/// that come while the drainer is busy coalesce into one more drain, never
/// none (the stream keeps the newest wake-up); one consumer reads ``wakes``.
public final class ResultsQueueSignal: Sendable {
    let wakes: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init() {
        (wakes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a drain.
    public func fire() {
        continuation.yield()
    }

    /// Ends the wake-ups (graceful shutdown): the drainer's loop returns.
    func finish() {
        continuation.finish()
    }
}
