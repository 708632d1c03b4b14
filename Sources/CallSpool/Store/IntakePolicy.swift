import Foundation

/// How intake turns a ``JobSpec`` into a queued job: default lifetimes per
/// type, and the applications a job may go out with.
public struct IntakePolicy: Sendable, Equatable {
    public var verifyTTL: Duration
    public var notifyTTL: Duration
    public var applications: [ApplicationRoute]

    public init(verifyTTL: Duration = .seconds(300), notifyTTL: Duration = .seconds(86_400), applications: [ApplicationRoute] = [.legacy]) {
        self.verifyTTL = verifyTTL
        self.notifyTTL = notifyTTL
        self.applications = applications
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
