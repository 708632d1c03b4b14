/// Wakes the dispatch loop early: a file was queued, a call ended, a request
/// finished, shutdown began. Signals are coalesced; waiting ends at the first
/// signal or the deadline.
public actor Wakeup {
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation = 0

    public init() {}

    /// Callable from any context (intake callbacks are synchronous).
    public nonisolated func signal() {
        Task { await self.fire() }
    }

    public func fire() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    /// Returns at the first signal, or after `timeout`.
    public func wait(timeout: Duration) async {
        if pending {
            pending = false
            return
        }
        generation += 1
        let token = generation
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(token)
        }
        await withCheckedContinuation { continuation in waiter = continuation }
        timer.cancel()
    }

    private func expire(_ token: Int) {
        guard token == generation, let waiter else { return }
        self.waiter = nil
        waiter.resume()
    }
}
