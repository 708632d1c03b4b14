import Foundation

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
    /// The application this scheduler sends for (its jobs, pauses, halt).
    public var app = Configuration.Application.legacyName
    /// Whether the application serves verify and notify jobs: only then is
    /// a verify reserve kept (a campaign could delay a login code).
    public var appServesBoth = true
    /// Whether this scheduler runs the store-wide chores (expiry, call
    /// leases, unknown jobs, operator intents): exactly one of the
    /// applications' schedulers does.
    public var housekeeping = true
    /// `[guard]`: suppression at dispatch, verification-code limits, the daily cap.
    public var callGuard = Configuration.Guard()

    /// The zone of the calendar day the daily cap counts in: that of
    /// `[defaults] window` (the platform's, Asia/Shanghai, by default).
    var dayTimeZone: TimeZone { TimeZone(identifier: defaults.window.timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt }

    public init(limits: Configuration.Limits, backoff: Configuration.Backoff, defaults: Configuration.Defaults, createdClock: Configuration.CreatedClockSetting) {
        self.limits = limits
        self.backoff = backoff
        self.defaults = defaults
        self.createdClock = createdClock
    }

    /// The settings of the first application (tests and single-application setups).
    public init(_ configuration: Configuration) {
        self.init(configuration, application: configuration.applications[0], housekeeping: true)
    }

    /// The settings of `application`'s scheduler: shared limits and
    /// backoffs with its own port quota, display numbers and `Created` convention.
    public init(_ configuration: Configuration, application: Configuration.Application, housekeeping: Bool) {
        var limits = configuration.limits
        limits.maxConcurrentCalls = application.maxConcurrentCalls
        var defaults = configuration.defaults
        defaults.displayNumbers = application.displayNumbers
        self.init(limits: limits, backoff: configuration.backoff, defaults: defaults, createdClock: application.createdClock)
        app = application.name
        appServesBoth = application.servesBoth
        callGuard = configuration.callGuard
        self.housekeeping = housekeeping
    }

    /// The scope of `base` (flow, ports, transport) for this application.
    func scope(_ base: PauseScope) -> PauseScope { PauseScope.of(base, app: app) }
}
