/// The parts of the configuration the scheduler uses; replaced on reload.
public struct SchedulerSettings: Sendable, Equatable {
    public var limits: Configuration.Limits
    public var backoff: Configuration.Backoff
    public var defaults: Configuration.Defaults
    public var createdClock: Configuration.CreatedClockSetting
    /// Transient-error retry backoff (docs/result-codes.md: base 2 s, cap 5 min).
    public var retry = Backoff(base: .seconds(2), cap: .seconds(300))
    /// Tries for a result code callspool does not know before the job fails.
    public var unknownCodeTries = 3
    /// Jobs read per scheduling pass.
    public var pageSize = 200
    /// Requests awaiting an answer at once: more would only queue inside the
    /// HTTP client (its connection pool has 64 connections per host).
    public var maxInFlight = 64
    /// Whether dispatch opens slowly after start-up, a halt probe and the end
    /// of a dispatch-wide pause (see ``SlowStart``). Always on in the daemon;
    /// unit tests of other policies turn it off to see whole passes.
    public var slowStart = true

    public init(limits: Configuration.Limits, backoff: Configuration.Backoff, defaults: Configuration.Defaults, createdClock: Configuration.CreatedClockSetting) {
        self.limits = limits
        self.backoff = backoff
        self.defaults = defaults
        self.createdClock = createdClock
    }

    public init(_ configuration: Configuration) {
        self.init(limits: configuration.limits, backoff: configuration.backoff, defaults: configuration.defaults, createdClock: configuration.platform.createdClock)
    }
}
