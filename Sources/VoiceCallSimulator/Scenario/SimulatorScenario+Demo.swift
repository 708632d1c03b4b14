extension SimulatorScenario {
    /// The outcome mix of `callspool demo`'s generated calls.
    public static let demoOutcomes: OutcomeChoice = .weighted([
        .answer: 0.6, .noAnswer: 0.15, .busy: 0.1, .poweredOff: 0.05, .reject: 0.05, .unreachable: 0.05,
    ])

    /// This scenario as `callspool demo` plays it: rates high enough for a
    /// few hundred calls within a minute, `ports` lines (fewer than the daemon
    /// is configured for, so it meets 1020154 and learns the real limit),
    /// every outcome in the default mix, no calling window and no inspection
    /// API. Per-callee profiles (fixed outcomes, digits, faults) are kept.
    public func tunedForDemo(ports: Int = 16) -> SimulatorScenario {
        var scenario = self
        var limits = scenario.limits ?? SimulatorLimits()
        limits.ports = ports
        limits.requestsPerSecond = max(limits.requestsPerSecond ?? 0, 100)
        limits.perDisplayNumberPerMinute = max(limits.perDisplayNumberPerMinute ?? 0, 1000)
        limits.perCalleeMax = max(limits.perCalleeMax ?? 0, 10)
        scenario.limits = limits
        var defaults = scenario.defaults ?? CalleeProfile()
        defaults.outcome = Self.demoOutcomes
        scenario.defaults = defaults
        scenario.callingWindow = nil
        scenario.inspection = false
        return scenario
    }
}
