import Foundation

/// When requests reached the simulator, taken by ``ObservingResponder`` before
/// the simulator handles them: the first and last request of any kind, and
/// the first `callVerify` per callee (the benchmark gives each verify job its
/// own callee, so the callee identifies the job).
final class ArrivalLog: @unchecked Sendable {
    /// One callnotify / callVerify request as it arrived (the soak's log):
    /// its wall-clock arrival (the database's lease times are on the same
    /// host's clock) and its `userData`.
    struct Request: Sendable, Codable {
        var arrived: Date
        var userData: String?
        var callee: String?
    }

    /// Whether ``requests`` is kept (each request's body is then read first).
    let keepsRequests: Bool
    private let lock = NSLock()
    private var kept: [Request] = []
    private var firstRequest: ContinuousClock.Instant?
    private var requests = 0
    private var verifyByCallee: [String: ContinuousClock.Instant] = [:]

    init(keepsRequests: Bool = false) { self.keepsRequests = keepsRequests }

    func keep(_ request: Request) {
        lock.lock()
        defer { lock.unlock() }
        kept.append(request)
    }

    var keptRequests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return kept
    }

    func record(at instant: ContinuousClock.Instant, verifyCallee: String?) {
        lock.lock()
        defer { lock.unlock() }
        if firstRequest == nil { firstRequest = instant }
        requests += 1
        if let callee = verifyCallee, verifyByCallee[callee] == nil { verifyByCallee[callee] = instant }
    }

    var first: ContinuousClock.Instant? {
        lock.lock()
        defer { lock.unlock() }
        return firstRequest
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    func firstVerify(callee: String) -> ContinuousClock.Instant? {
        lock.lock()
        defer { lock.unlock() }
        return verifyByCallee[callee]
    }
}
