import CallSpoolCore
/// Which sections differ between the running configuration and a re-read one,
/// split by what a reload (SIGHUP) may apply: `[limits]`, `[backoff]` and
/// `[defaults]` only; everything else (platform credentials, listen
/// addresses, store and spool paths, …) needs a restart.
public struct ConfigurationChanges: Sendable, Equatable {
    /// The sections a reload applies.
    public static let reloadableSections = ["limits", "backoff", "defaults"]

    /// Changed sections that the reload applies, in file order.
    public var applied: [String]
    /// Changed sections that need a restart, in file order.
    public var refused: [String]

    public init(applied: [String], refused: [String]) {
        self.applied = applied
        self.refused = refused
    }

    public init(from old: Configuration, to new: Configuration) {
        var changed: [String] = []
        let legacy = Self.isLegacy(old) && Self.isLegacy(new)
        if old.platform != new.platform || (legacy && !Self.sameApplications(old, new)) { changed.append("platform") }
        if !legacy, !Self.sameApplications(old, new) { changed.append("apps") }
        if old.spool != new.spool { changed.append("spool") }
        if old.store != new.store { changed.append("store") }
        if old.callbacks != new.callbacks { changed.append("callbacks") }
        if old.limits != new.limits { changed.append("limits") }
        if old.backoff != new.backoff { changed.append("backoff") }
        if old.defaults != new.defaults { changed.append("defaults") }
        if old.results != new.results { changed.append("results") }
        if old.metrics != new.metrics { changed.append("metrics") }
        if old.callGuard != new.callGuard { changed.append("guard") }
        if old.api != new.api { changed.append("api") }
        if old.webhooks != new.webhooks { changed.append("webhooks") }
        applied = changed.filter { Self.reloadableSections.contains($0) }
        refused = changed.filter { !Self.reloadableSections.contains($0) }
    }

    /// The configuration to run with after the reload: `old`, with the
    /// reloadable sections taken from `new`. The single application of a
    /// configuration without `[apps]` takes its port quota and display
    /// numbers from `[limits]` and `[defaults]`, so it follows them;
    /// `[apps.*]` sections need a restart.
    public static func merged(_ old: Configuration, with new: Configuration) -> Configuration {
        var result = old
        result.limits = new.limits
        result.backoff = new.backoff
        result.defaults = new.defaults
        if isLegacy(result) {
            result.applications[0].maxConcurrentCalls = new.limits.maxConcurrentCalls
            result.applications[0].displayNumbers = new.defaults.displayNumbers
        }
        return result
    }

    static func isLegacy(_ configuration: Configuration) -> Bool {
        configuration.applications.map(\.name) == [Configuration.Application.legacyName]
    }

    /// Whether the applications are the same but for what a legacy
    /// application derives from the reloadable sections.
    static func sameApplications(_ old: Configuration, _ new: Configuration) -> Bool {
        func comparable(_ configuration: Configuration) -> [Configuration.Application] {
            guard isLegacy(configuration) else { return configuration.applications }
            var apps = configuration.applications
            apps[0].maxConcurrentCalls = 0
            apps[0].displayNumbers = []
            return apps
        }
        return comparable(old) == comparable(new)
    }
}
