/// What a synchronous result means for the dispatcher (docs/result-codes.md).
///
/// The class, not the code, drives behaviour: a new code from the platform only
/// needs a row in ``ResultCode/table``.
public enum ResultClass: Sendable, Hashable, CustomStringConvertible {
    /// Accepted: store the sessionId, the call holds a port.
    case ok
    /// The platform is out of ports: shrink the port limit, pause all dispatch.
    case ports
    /// Platform or app flow control: pause all dispatch.
    case flowControl
    /// A frequency limit of one scope was hit: pause that scope.
    case frequency(FrequencyScope)
    /// A daily or monthly call quota of one scope is used up (1013001–1013003):
    /// pause that scope with a backoff that grows up to `backoff.quota`, rather
    /// than retrying every minute all day against a quota that will not reset.
    case quota(FrequencyScope)
    /// The display number is unusable (not applied for, not bound to the app,
    /// blacklisted, invalid): retire it when it came from the pool, fail the
    /// job when the job named it.
    case number
    /// Outside the platform's calling hours: requeue at the next window.
    case timeWindow
    /// Temporary trouble: retry this job with backoff.
    case transient
    /// A configuration or account problem: stop dispatching, keep jobs queued.
    case halt
    /// This job can never succeed as it is: fail it, go on with the others.
    case job
    /// A code callspool does not know: retried a bounded number of times.
    case unknown

    public var description: String {
        switch self {
        case .ok: "ok"
        case .ports: "ports"
        case .flowControl: "flow_control"
        case .frequency(let scope): "frequency_\(scope.rawValue)"
        case .quota(let scope): "quota_\(scope.rawValue)"
        case .number: "number"
        case .timeWindow: "time_window"
        case .transient: "transient"
        case .halt: "halt"
        case .job: "job"
        case .unknown: "unknown"
        }
    }
}

/// Whose call frequency a 1013xxx code limits.
public enum FrequencyScope: String, Sendable, Hashable, CaseIterable {
    case sp, app, displayNumber = "display_number", callee
}
