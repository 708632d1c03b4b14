import CallSpoolCore
import Foundation
import Logging
import PostgresNIO

/// What `callspool check` learns from a PostgreSQL store by connecting to
/// it, without changing anything: the server's version, whether the
/// connection is encrypted, and how the database's schema compares with
/// this version's steps.
public struct PostgresStoreProbe: Sendable, Equatable {
    /// `server_version`, as the server reports it (`16.4 (Debian 16.4-1)`).
    public var serverVersion: String
    public var encrypted: Bool
    public var schema: Schema

    public enum Schema: Sendable, Equatable {
        /// No callspool schema yet: `callspool run` creates it.
        case empty
        /// Every step this version knows is applied, and none other.
        case current
        /// Steps this version would apply at start (`callspool run` migrates).
        case pending([String])
        /// Steps this version does not know: a newer callspool migrated it.
        case newer([String])
    }
}

extension PostgresStore {
    /// Connects with `settings` (one connection, closed again), reads the
    /// server's version and the schema's steps; writes nothing. Runs on the
    /// store's threads, off the async runtime's.
    /// - Throws: ``PostgresStoreError/cannotConnect(_:_:)`` (naming the URL,
    ///   never the password) when it cannot connect, or what the reads threw.
    public static func probe(_ settings: Settings, logger: Logger = Logger(label: "callspool.store")) async throws -> PostgresStoreProbe {
        try await StoreThreads.run { try probeNow(settings, logger: logger) }
    }

    private static func probeNow(_ settings: Settings, logger: Logger) throws -> PostgresStoreProbe {
        let connection = try PostgresLink.connect(settings, logger: logger)
        defer { connection.closeSoon() }
        let session = PostgresSession(connection: connection, logger: logger, timeout: settings.timeout)
        let version = try session.scalar(String.self, "SHOW server_version") ?? "?"
        let encrypted = try session.scalar(Bool.self, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") ?? false
        let exists = try session.scalar(Bool.self, "SELECT to_regclass('callspoolmigration') IS NOT NULL") ?? false
        let done = exists ? Set(try session.rows("SELECT name FROM callspoolMigration").map { try $0.value("name", as: String.self) }) : []
        return PostgresStoreProbe(serverVersion: version, encrypted: encrypted, schema: schema(applied: done))
    }

    /// How steps `applied` compare with this version's.
    static func schema(applied: Set<String>) -> PostgresStoreProbe.Schema {
        let known = PostgresSchema.steps.map(\.name)
        let unknown = applied.subtracting(known).sorted()
        if !unknown.isEmpty { return .newer(unknown) }
        if applied.isEmpty { return .empty }
        let pending = known.filter { !applied.contains($0) }
        return pending.isEmpty ? .current : .pending(pending)
    }
}
