import Metrics

extension CallspoolMetrics {
    /// `callspool_guard_refusals_total{app,limit}`: jobs the guard stopped
    /// before a call (`verify_per_callee`, `verify_per_prefix`,
    /// `max_calls_per_day`); the alert on login-code floods watches it.
    public static let guardRefusalsName = "callspool_guard_refusals_total"
    /// `callspool_suppressed_total{stage}`: jobs kept from a suppressed
    /// number, at `intake` (rejected) or `dispatch` (canceled).
    public static let suppressedName = "callspool_suppressed_total"
    /// `callspool_opt_outs_total{campaign}`: callees who pressed a job's opt-out digits.
    public static let optOutsName = "callspool_opt_outs_total"

    public func countGuardRefusal(app: String, limit: String) {
        Counter(label: Self.guardRefusalsName, dimensions: [("app", app), ("limit", limit)], factory: factory).increment()
    }

    public func countSuppressed(stage: String, _ count: Int = 1) {
        guard count > 0 else { return }
        Counter(label: Self.suppressedName, dimensions: [("stage", stage)], factory: factory).increment(by: count)
    }

    public func countOptOut(campaign: String?) {
        Counter(label: Self.optOutsName, dimensions: [("campaign", campaign ?? "")], factory: factory).increment()
    }
}
