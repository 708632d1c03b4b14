import CallSpoolCore
import CallSpoolPostgres
import Logging

/// Opens the daemon's store at start-up and, on a shared (PostgreSQL) store,
/// waits while the database is down, restarting or unreachable instead of
/// exiting.
///
/// Why: a daemon started while its database restarts or fails over would
/// otherwise exit, be started again by systemd every `RestartSec` and be
/// given up for good once systemd's start limit is hit — while the pushes
/// the callback socket holds wait for a process that never comes. Waiting
/// keeps one process that starts the moment the database answers.
///
/// Guarantees: only outages are waited for. A bad URL, a refused password,
/// a database that does not exist or a schema from a newer callspool stop
/// the daemon at once with their message, as every configuration mistake
/// does; so does any failure of a SQLite store (the file is local: there is
/// nothing to wait for that systemd's restart would not also see).
public struct StoreStartup: Sendable {
    /// The wait before the second attempt; each next wait doubles, up to ``longestDelay``.
    public var firstDelay: Duration = .milliseconds(250)
    public var longestDelay: Duration = .seconds(5)

    public init() {}

    /// The wait after the `attempt`-th failed attempt (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        var delay = firstDelay
        for _ in 1..<max(1, attempt) {
            delay *= 2
            if delay >= longestDelay { return longestDelay }
        }
        return min(delay, longestDelay)
    }

    /// Why waiting may cure `error` (the outage, in an operator's words), or
    /// nil when it will not and the daemon must stop.
    public static func outage(_ error: any Error, sharedStore: Bool) -> String? {
        guard sharedStore else { return nil }
        if let store = error as? PostgresStoreError, !store.passesWithTime { return nil }
        return StorageFailure.reason(for: error)
    }

    /// The store the daemon runs on, and on a shared store the dispatcher
    /// term that fences its writes.
    public struct Opened: Sendable {
        public var database: any CallStore
        public var term: DispatcherTerm?
    }

    /// One attempt: opens (and migrates) the store, then gives jobs stored
    /// without an application the one application serving their type, before
    /// any dispatcher starts, and warns about jobs nobody will send.
    public static func openOnce(configuration: Configuration, logger: Logger) throws -> Opened {
        let term: DispatcherTerm? = configuration.store.isShared ? DispatcherTerm(margin: configuration.store.lease / 2) : nil
        let database = try configuration.openStore(leadership: term, logger: logger)
        do {
            let assigned = try database.assignApplications(ApplicationRoute.soleServers(among: configuration.routes))
            if assigned > 0 { logger.info("jobs stored without an application were assigned one", metadata: ["jobs": "\(assigned)"]) }
            for (app, count) in try database.jobsWithoutConfiguredApplication(configuration.applications.map(\.name)) {
                logger.warning(
                    "jobs wait for an application that is not configured; add it to the configuration (or cancel them)",
                    metadata: ["app": "\(app.isEmpty ? "(none serves their type alone)" : app)", "jobs": "\(count)"])
            }
        } catch {
            (database as? PostgresStore)?.close()
            throw error
        }
        return Opened(database: database, term: term)
    }

    /// ``openOnce(configuration:logger:)`` until it succeeds or fails with
    /// something that is not an outage.
    ///
    /// - Parameters:
    ///   - onWaiting: called before each wait with the outage and the wait,
    ///     e.g. to tell systemd (STATUS=, EXTEND_TIMEOUT_USEC=).
    ///   - sleep: injected so tests wait on events, not on time.
    /// - Throws: the first error that is not an outage, or `CancellationError`.
    public func open(
        configuration: Configuration, logger: Logger,
        onWaiting: (_ outage: String, _ wait: Duration) -> Void = { _, _ in },
        sleep: (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) async throws -> Opened {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let opened = try Self.openOnce(configuration: configuration, logger: logger)
                if attempt > 1 { logger.notice("the store answers: starting", metadata: ["store": "\(configuration.storeDisplayName)", "attempts": "\(attempt)"]) }
                return opened
            } catch {
                guard let outage = Self.outage(error, sharedStore: configuration.store.isShared) else { throw error }
                let wait = delay(afterAttempt: attempt)
                // Every attempt while the waits grow, then once a minute.
                if wait < longestDelay || attempt % 12 == 0 {
                    logger.warning(
                        "waiting for the store before starting", metadata: ["reason": "\(outage)", "retry_in": "\(DurationText.format(wait))"])
                }
                onWaiting(outage, wait)
                try await sleep(wait)
            }
        }
    }
}
