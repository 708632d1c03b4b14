import Metrics

extension CallspoolMetrics {
    /// `callspool_callback_deadline_closes_total`: callback connections
    /// closed because a request did not arrive whole within
    /// `callbacks.read_timeout` (slow or trickling clients, idle keep-alive).
    public static let callbackDeadlineClosesName = "callspool_callback_deadline_closes_total"

    /// One callback connection closed by its request deadline. Safe to call
    /// from an event loop (a counter increment, no suspension).
    public func countCallbackDeadlineClose() {
        Counter(label: Self.callbackDeadlineClosesName, factory: factory).increment()
    }
}
