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
        if old.platform != new.platform { changed.append("platform") }
        if old.spool != new.spool { changed.append("spool") }
        if old.store != new.store { changed.append("store") }
        if old.callbacks != new.callbacks { changed.append("callbacks") }
        if old.limits != new.limits { changed.append("limits") }
        if old.backoff != new.backoff { changed.append("backoff") }
        if old.defaults != new.defaults { changed.append("defaults") }
        if old.results != new.results { changed.append("results") }
        if old.metrics != new.metrics { changed.append("metrics") }
        applied = changed.filter { Self.reloadableSections.contains($0) }
        refused = changed.filter { !Self.reloadableSections.contains($0) }
    }

    /// The configuration to run with after the reload: `old`, with the
    /// reloadable sections taken from `new`.
    public static func merged(_ old: Configuration, with new: Configuration) -> Configuration {
        var result = old
        result.limits = new.limits
        result.backoff = new.backoff
        result.defaults = new.defaults
        return result
    }
}
