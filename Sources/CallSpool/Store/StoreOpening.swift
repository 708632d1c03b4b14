import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging

extension Configuration {
    /// The store the configuration names: PostgreSQL when `[store] url` is
    /// set (several instances may share it), else the SQLite file at
    /// `[store] path`.
    ///
    /// - Parameters:
    ///   - readonly: for the read commands: nothing is migrated or created,
    ///     and a missing or outdated store is an error naming it.
    ///   - leadership: the daemon's dispatcher term on a shared store: every
    ///     dispatch write is fenced by the lease.
    public func openStore(readonly: Bool = false, leadership: DispatcherTerm? = nil, logger: Logger = Logger(label: "callspool.store")) throws -> any CallStore {
        guard let url = store.url else { return try AppDatabase.open(path: store.path, readonly: readonly) }
        let settings = try postgresSettings(url: url)
        return readonly
            ? try PostgresStore.openReadOnly(settings, logger: logger)
            : try PostgresStore.open(settings, leadership: leadership, logger: logger)
    }

    /// Where the PostgreSQL store is and who this instance is.
    public func postgresSettings(url: String) throws(PostgresStoreError) -> PostgresStore.Settings {
        var settings = try PostgresStore.Settings(url: url, password: store.password, instance: instanceName)
        settings.address = callbacks.listen.description
        settings.transactionIdleTimeout = store.lease / 2
        return settings
    }

    /// The store's name for messages: its path, or its URL without password.
    public var storeDisplayName: String {
        guard let url = store.url else { return store.path }
        return (try? PostgresStore.Settings(url: url, instance: instanceName).displayURL) ?? PostgresURL.redacted(url)
    }
}
