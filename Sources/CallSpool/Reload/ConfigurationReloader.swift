import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Logging

/// Re-reads the configuration file and applies what may change at run time
/// (see ``ConfigurationChanges``) to the scheduler, keeping the running values
/// for everything else.
///
/// Guarantees: an invalid file changes nothing; a refused section is named in
/// a log line and keeps its running value; reloads are serialised (actor).
public actor ConfigurationReloader {
    public private(set) var current: Configuration
    private let load: @Sendable () throws(ConfigurationError) -> Configuration
    private let apply: @Sendable (SchedulerSettings) async -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - load: reads the file again (``ConfigurationLoader/load(path:purpose:)``).
    ///   - apply: hands the new settings over (``Scheduler/reconfigure(_:)``),
    ///     once per application (``SchedulerSettings/app`` names it).
    public init(
        current: Configuration, logger: Logger, load: @escaping @Sendable () throws(ConfigurationError) -> Configuration,
        apply: @escaping @Sendable (SchedulerSettings) async -> Void
    ) {
        self.current = current
        self.load = load
        self.apply = apply
        self.logger = logger
    }

    /// For the daemon: re-reads `current.source` as the daemon did at start.
    public init(current: Configuration, schedulers: [Scheduler], loader: ConfigurationLoader = ConfigurationLoader(), logger: Logger) {
        let path = current.source
        self.init(
            current: current, logger: logger, load: { () throws(ConfigurationError) -> Configuration in try loader.load(path: path, purpose: .daemon) },
            apply: { settings in
                for scheduler in schedulers where await scheduler.settings.app == settings.app { await scheduler.reconfigure(settings) }
            })
    }

    @discardableResult
    public func reload() async -> ReloadOutcome {
        let new: Configuration
        do {
            new = try load()
        } catch {
            logger.error("reload: configuration error, nothing changed: \(error)")
            return .failed(error.description)
        }
        let changes = ConfigurationChanges(from: current, to: new)
        for section in changes.refused {
            logger.warning("reload: [\(section)] changed but cannot be applied while running; keeping the running values (restart to apply)")
        }
        let merged = ConfigurationChanges.merged(current, with: new)
        // Credentials and the Created-clock convention stay as running.
        for (index, application) in merged.applications.enumerated() {
            await apply(SchedulerSettings(merged, application: application, housekeeping: index == 0))
        }
        current = merged
        if changes.applied.isEmpty {
            logger.info("reload: no change to [limits], [backoff] or [defaults]")
        } else {
            logger.notice("reload: applied \(changes.applied.map { "[\($0)]" }.joined(separator: ", "))")
        }
        return .reloaded(changes)
    }
}
