/// Carries ``CallEndSignal``s from the callback receiver to whoever frees
/// ports (the dispatcher), without either knowing the other.
///
/// One consumer reads ``signals``; signals sent before it starts reading are
/// buffered (unbounded: a signal is a few dozen bytes and each call ends once),
/// so no port release is lost at start-up.
public final class CallEndRelay: Sendable {
    public let signals: AsyncStream<CallEndSignal>
    private let continuation: AsyncStream<CallEndSignal>.Continuation

    public init() {
        (signals, continuation) = AsyncStream.makeStream(of: CallEndSignal.self, bufferingPolicy: .unbounded)
    }

    /// Hands one signal to the consumer; never blocks and never suspends, so
    /// the callback receiver can call it before answering.
    @Sendable public func send(_ signal: CallEndSignal) {
        continuation.yield(signal)
    }

    /// Ends the stream (daemon shutdown).
    public func finish() {
        continuation.finish()
    }
}
