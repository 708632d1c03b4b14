import Foundation

/// How intake turns a ``JobSpec`` into a queued job: default lifetimes per
/// type, and the applications a job may go out with.
public struct IntakePolicy: Sendable, Equatable {
    public var verifyTTL: Duration
    public var notifyTTL: Duration
    public var applications: [ApplicationRoute]
    /// `[defaults] window`: the calling window of notify jobs without one
    /// (nil: none, any hour).
    public var defaultWindow: CallingWindow?
    /// `[guard]`: the callee prefixes taken in, and whether the suppression
    /// list applies to verify jobs.
    public var callGuard = Configuration.Guard()

    public init(
        verifyTTL: Duration = .seconds(300), notifyTTL: Duration = .seconds(86_400), applications: [ApplicationRoute] = [.legacy],
        defaultWindow: CallingWindow? = nil
    ) {
        self.verifyTTL = verifyTTL
        self.notifyTTL = notifyTTL
        self.applications = applications
        self.defaultWindow = defaultWindow
    }

    /// Whether the suppression list keeps `type` out.
    public func suppresses(_ type: JobType) -> Bool { type == .notify || callGuard.suppressVerify }

    /// The window `spec` is called in: its own, else the default for notify
    /// jobs (verify jobs ignore windows unless given one).
    public func window(of spec: JobSpec) -> CallingWindow? {
        spec.window ?? (spec.type == .notify ? defaultWindow : nil)
    }

    /// Why `spec` could never be called, when its whole life (from
    /// `notBefore`, or now, to its expiry) falls outside its calling window:
    /// such a job is refused at intake, in its file's report, instead of
    /// being queued to expire a second later.
    public func neverCallable(_ spec: JobSpec, now: Date) -> String? {
        guard let window = window(of: spec), !window.isAlways else { return nil }
        let start = max(now, spec.notBefore ?? now)
        let expiry = expiry(of: spec, now: now)
        let opening = window.nextOpening(after: start)
        guard opening >= expiry else { return nil }
        return "outside its calling window \(window.summary): it expires at \(Timestamp.format(expiry)), before the window opens at \(Timestamp.format(opening)), so it could never be called"
    }

    /// The application `spec` goes out with, or why none can be chosen.
    public func application(for spec: JobSpec) -> Result<String, Configuration.ApplicationChoiceError> {
        ApplicationRoute.choose(named: spec.app, for: spec.type, among: applications)
    }

    /// When the job expires. A `ttl` (the job's or the type's default) counts
    /// from when the job may first be called (`notBefore`, or intake); an
    /// explicit `expiresAt` caps it. With only `expiresAt`, that is the expiry.
    public func expiry(of spec: JobSpec, now: Date) -> Date {
        let start = max(now, spec.notBefore ?? now)
        let fromTTL = spec.ttl.map { start.addingTimeInterval($0.timeInterval) }
        switch (fromTTL, spec.expiresAt) {
        case (let ttl?, let explicit?): return min(ttl, explicit)
        case (let ttl?, nil): return ttl
        case (nil, let explicit?): return explicit
        case (nil, nil): return start.addingTimeInterval((spec.type == .verify ? verifyTTL : notifyTTL).timeInterval)
        }
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    public init(timeInterval: TimeInterval) {
        self = .milliseconds(Int64((timeInterval * 1000).rounded()))
    }
}
