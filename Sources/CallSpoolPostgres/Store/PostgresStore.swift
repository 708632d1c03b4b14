import CallSpoolCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// The durable queue on PostgreSQL: the same ``CallStore`` as the SQLite
/// store, so several callspool instances can share one database (one
/// dispatches at a time; every instance takes spool files and callbacks).
///
/// Guarantees, beyond ``CallStore``'s: every write runs in one transaction
/// on one connection, committed before the call returns; a statement that
/// gets no answer within ``Settings/timeout`` fails its call (the
/// connection is dropped and the next call opens a new one), so a network
/// partition stops the caller instead of hanging it; rows a transaction
/// changes for a decision are locked (`FOR UPDATE`) so a receiver on another
/// instance and the dispatcher never overwrite each other's change.
public final class PostgresStore: Sendable {
    /// Where and how to connect (`[store] url`, its password, timeouts).
    public struct Settings: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        /// The longest a statement (or a connection attempt) may take.
        public var timeout: Duration
        /// `status` and the heartbeat name this instance by it (default: the host name).
        public var instance: String
        /// Where this instance takes callbacks (shown by `status`).
        public var address: String?
        /// The server ends a session of this instance that stays idle this
        /// long inside a transaction, releasing its locks: a dispatcher cut
        /// off mid-transaction cannot hold the lease row (or jobs) against
        /// the instance taking over. Below the lease (the daemon: half of it).
        public var transactionIdleTimeout: Duration = .seconds(5)
        /// `?sslmode=` of the URL, as libpq reads it.
        public var tls: TLSMode = .prefer

        /// How the connection is encrypted (`sslmode`): `disable` never;
        /// `prefer` when the server offers it (the default, as libpq);
        /// `require` always, without checking the certificate;
        /// `verify-full` always, the certificate checked against the
        /// system's trust roots and the host name.
        public enum TLSMode: String, Sendable, Equatable, CaseIterable {
            case disable, prefer, require
            case verifyFull = "verify-full"
        }

        public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String, timeout: Duration = .seconds(10), instance: String) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.timeout = timeout
            self.instance = instance
        }
    }

    public let settings: Settings
    let writer: PostgresLink
    /// The receiver's writes (pushes, the pending-event sweep): beside the
    /// dispatcher's, not queued behind them; several, so the shares of a
    /// batch of pushes commit side by side (each push costs a few round
    /// trips, and one connection runs one statement at a time).
    let callbackWriters: [PostgresLink]
    /// How many connections store the receiver's pushes.
    static let callbackConnections = 3
    let reader: PostgresLink
    let notifications: PostgresNotifications
    let logger: Logger
    /// The dispatcher lease this instance holds, when several instances
    /// share the store (the daemon); nil for a store no lease fences (the
    /// CLI, tests of the store alone).
    let leadership: DispatcherTerm?

    private init(settings: Settings, leadership: DispatcherTerm?, logger: Logger) {
        self.settings = settings
        self.leadership = leadership
        self.logger = logger
        writer = PostgresLink(settings: settings, logger: logger, role: "writer")
        callbackWriters = (0..<Self.callbackConnections).map { _ in PostgresLink(settings: settings, logger: logger, role: "callbacks") }
        reader = PostgresLink(settings: settings, logger: logger, role: "reader")
        notifications = PostgresNotifications(settings: settings, logger: logger)
    }

    /// Connects and brings the schema up to date (instances starting
    /// together migrate one at a time, under an advisory lock).
    /// - Parameter leadership: with a term, every dispatch write checks the
    ///   lease (several instances); without, none does.
    public static func open(_ settings: Settings, leadership: DispatcherTerm? = nil, logger: Logger = Logger(label: "callspool.store")) throws -> PostgresStore {
        let store = PostgresStore(settings: settings, leadership: leadership, logger: logger)
        try store.migrate()
        return store
    }

    /// Connects without migrating: the read-only commands (`status`, `job`, …)
    /// write nothing; a database of another version is an error naming it.
    public static func openReadOnly(_ settings: Settings, logger: Logger = Logger(label: "callspool.store")) throws -> PostgresStore {
        let store = PostgresStore(settings: settings, leadership: nil, logger: logger)
        guard try store.pendingMigrations().isEmpty else { throw PostgresStoreError.outdated(settings.displayURL) }
        return store
    }

    /// Tests of an upgrade: a store whose schema stops after step `last`
    /// (``PostgresSchema/steps``), to hold rows as an older version wrote
    /// them before ``open(_:leadership:logger:)`` brings it up to date.
    package static func open(_ settings: Settings, migratingThrough last: String) throws -> PostgresStore {
        let store = PostgresStore(settings: settings, leadership: nil, logger: Logger(label: "callspool.store"))
        try store.migrate(through: last)
        return store
    }

    /// Applies the steps this database lacks, in order; with `last`, none after it.
    func migrate(through last: String? = nil) throws {
        try write { session in
            try session.execute("SELECT pg_advisory_xact_lock($1)", [PostgresSchema.migrationLock])
            try session.execute("CREATE TABLE IF NOT EXISTS callspoolMigration (name TEXT PRIMARY KEY NOT NULL, appliedAt DOUBLE PRECISION NOT NULL)")
            let done = Set(try session.rows("SELECT name FROM callspoolMigration").map { try $0.value("name", as: String.self) })
            let known = Set(PostgresSchema.steps.map(\.name))
            if let unknown = done.subtracting(known).sorted().first {
                throw PostgresStoreError.newer(settings.displayURL, unknown)
            }
            for step in PostgresSchema.steps where !done.contains(step.name) {
                for statement in step.statements { try session.execute(statement) }
                try session.execute("INSERT INTO callspoolMigration (name, appliedAt) VALUES ($1, $2)", [step.name, Date().timeIntervalSince1970])
                if step.name == last { break }
            }
        }
    }

    /// Schema steps this database lacks (empty: current).
    func pendingMigrations() throws -> [String] {
        try read { session in
            let exists = try session.scalar(Bool.self, "SELECT to_regclass('callspoolmigration') IS NOT NULL") ?? false
            let done = exists ? Set(try session.rows("SELECT name FROM callspoolMigration").map { try $0.value("name", as: String.self) }) : []
            return PostgresSchema.steps.map(\.name).filter { !done.contains($0) }
        }
    }

    /// One write transaction: committed when `body` returns, rolled back when it throws.
    func write<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try writer.transaction(body)
    }

    /// One read (its own transaction, on the reading connection, so reads
    /// never wait behind a long write).
    func read<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try reader.transaction(body)
    }

    /// Creates an empty database `name` on the server `settings` names
    /// (benchmarks and tests; the operator creates the production one).
    public static func createDatabase(_ name: String, on settings: Settings) throws {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw PostgresStoreError.badURL(name, "not a plain database name") }
        let connection = try PostgresLink.connect(settings, logger: Logger(label: "callspool.store"))
        defer { connection.closeSoon() }
        let session = PostgresSession(connection: connection, logger: Logger(label: "callspool.store"), timeout: settings.timeout)
        try session.execute("CREATE DATABASE \(name)")
    }

    /// Closes the connections (the daemon is stopping).
    public func close() {
        writer.close()
        for link in callbackWriters { link.close() }
        reader.close()
        notifications.close()
    }
}

/// What went wrong with the PostgreSQL store, in words an operator can act on.
public enum PostgresStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case badURL(String, String)
    case timedOut(Duration)
    case cannotConnect(String, String)
    /// The server answered and refused this instance for a reason time does
    /// not cure: a wrong user or password, a database that does not exist,
    /// no CONNECT privilege (SQLSTATE class 28, 3D000, 42501).
    case refused(String, String)
    /// The connection failed during a statement (nothing after its last commit is kept).
    case connectionLost(String)
    case outdated(String)
    case newer(String, String)
    /// This instance's dispatcher lease ended (another instance dispatches
    /// now): the transaction changed nothing.
    case notLeader(instance: String, epoch: Int64)

    public var description: String {
        switch self {
        case .badURL(let url, let problem): "store url \(PostgresURL.redacted(url)): \(problem)"
        case .timedOut(let timeout): "the PostgreSQL store did not answer within \(DurationText.format(timeout))"
        case .cannotConnect(let url, let problem): "cannot connect to the PostgreSQL store \(url): \(problem)"
        case .refused(let url, let problem): "the PostgreSQL store \(url) refuses this instance: \(problem); check [store] url and password"
        case .connectionLost(let problem): "the connection to the PostgreSQL store failed: \(problem)"
        case .outdated(let url): "the PostgreSQL store \(url) is not migrated to this version: start `callspool run` once (it migrates)"
        case .newer(let url, let step): "the PostgreSQL store \(url) was migrated by a newer callspool (\(step)): upgrade this instance"
        case .notLeader(let instance, let epoch): "instance \(instance) no longer holds the dispatcher lease (epoch \(epoch))"
        }
    }
}

/// One connection of the store, opened on first use and again after a
/// failure, used by one transaction at a time (callers queue on its lock).
final class PostgresLink: @unchecked Sendable {
    private let settings: PostgresStore.Settings
    private let logger: Logger
    private let role: String
    /// Guards `connection`; held for a whole transaction, on the store's
    /// own threads (never the async runtime's).
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private static let ids = Atomic<Int>(0)

    init(settings: PostgresStore.Settings, logger: Logger, role: String) {
        self.settings = settings
        self.logger = logger
        self.role = role
    }

    /// Runs `body` in one transaction and commits it.
    ///
    /// The first run is optimistic (``SavepointIsolation``); one whose bare
    /// savepoint failed is rolled back and run again with savepoints. A run
    /// the server ended as a deadlock victim or a serialization failure
    /// (SQLSTATE 40P01, 40001: two instances, or the receiver and the
    /// dispatcher, locking the same jobs in another order) changed nothing
    /// and is run again, up to ``conflictRetries`` times. `body` must
    /// therefore compute its answer from the session alone.
    func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try lock.withLock {
            var optimistic = true
            var conflicts = 0
            while true {
                do {
                    return try run(body, optimistic: optimistic)
                } catch TransactionRerun.withSavepoints {
                    optimistic = false
                } catch let error as PostgresStatementError where error.isTransactionConflict && conflicts < Self.conflictRetries {
                    conflicts += 1
                    logger.debug("transaction ended by a lock conflict; running it again", metadata: ["sqlstate": "\(error.sqlState)"])
                }
            }
        }
    }

    /// Runs of one transaction the server may end as a deadlock victim before the error is the caller's.
    static let conflictRetries = 3

    private enum TransactionRerun: Error { case withSavepoints }

    private func run<T>(_ body: (PostgresSession) throws -> T, optimistic: Bool) throws -> T {
        let session = try openSession(isolation: SavepointIsolation(optimistic: optimistic))
        do {
            try session.send("BEGIN")
            let value = try body(session)
            try session.flush()
            // A conflict inside a savepoint ended the whole transaction; a bare
            // savepoint failed: its writes cannot be undone alone (and COMMIT on
            // an aborted transaction would silently roll back).
            if let conflict = session.isolation.conflict { throw conflict }
            guard !session.isolation.failedBare else { throw TransactionRerun.withSavepoints }
            try session.execute("COMMIT")
            return value
        } catch {
            try? session.flush()
            if session.connection.isClosed {
                connection = nil
            } else if (try? session.execute("ROLLBACK")) == nil {
                session.connection.closeSoon()
                connection = nil
            } else if let conflict = session.isolation.conflict {
                throw conflict
            } else if session.isolation.failedBare, !(error is PostgresStoreError), !(error is TransactionRerun) {
                throw TransactionRerun.withSavepoints
            }
            throw error
        }
    }

    private func openSession(isolation: SavepointIsolation) throws -> PostgresSession {
        if let connection, !connection.isClosed {
            return PostgresSession(connection: connection, logger: logger, timeout: settings.timeout, isolation: isolation)
        }
        let connection = try Self.connect(settings, logger: logger)
        self.connection = connection
        return PostgresSession(connection: connection, logger: logger, timeout: settings.timeout, isolation: isolation)
    }

    static func connect(_ settings: PostgresStore.Settings, logger: Logger) throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password, database: settings.database,
            tls: try tlsConfiguration(settings.tls))
        let (seconds, _) = settings.timeout.components
        configuration.options.connectTimeout = .seconds(max(1, seconds))
        let future = PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: ids.add(1, ordering: .relaxed).newValue, logger: logger)
        do {
            let connection = try future.wait()
            // The server bounds every statement too: a lock held by a
            // stuck peer cannot stall this instance past the timeout.
            let timeoutMilliseconds = Int(seconds) * 1000
            let idleMilliseconds = max(100, Int(settings.transactionIdleTimeout.timeInterval * 1000))
            do {
                _ = try connection.query(PostgresQuery(unsafeSQL: "SET statement_timeout = \(timeoutMilliseconds)"), logger: logger).wait()
                _ = try connection.query(PostgresQuery(unsafeSQL: "SET idle_in_transaction_session_timeout = \(idleMilliseconds)"), logger: logger).wait()
            } catch {
                connection.closeSoon()
                throw error
            }
            return connection
        } catch {
            if let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState], Self.isRefusal(sqlState: state) {
                throw PostgresStoreError.refused(settings.displayURL, Self.describe(error))
            }
            throw PostgresStoreError.cannotConnect(settings.displayURL, Self.describe(error))
        }
    }

    static func tlsConfiguration(_ mode: PostgresStore.Settings.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        var client = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable:
            return .disable
        case .prefer, .require:
            client.certificateVerification = .none
            let context = try NIOSSLContext(configuration: client)
            return mode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: client))
        }
    }

    /// Whether a connection refused with `sqlState` stays refused however
    /// long one waits: class 28 (invalid authorization), 3D000 (no such
    /// database), 42501 (no CONNECT privilege).
    static func isRefusal(sqlState: String) -> Bool {
        sqlState.hasPrefix("28") || sqlState == "3D000" || sqlState == "42501"
    }

    /// A postgres-nio error in one line (server message and SQLSTATE when the server answered).
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                return "\(message) (SQLSTATE \(psql.serverInfo?[.sqlState] ?? "?"))"
            }
            return "\(psql.code)"
        }
        return "\(error)"
    }

    func close() {
        lock.withLock {
            connection?.closeSoon()
            connection = nil
        }
    }

    deinit { connection?.closeSoon() }
}

/// LISTEN on the store's channels over a connection of its own, calling
/// the registered handlers when a notification arrives.
///
/// A hint only: what the notification announces is in the rows, and every
/// consumer also polls; a lost connection is opened again at the next
/// registration or heartbeat (``PostgresStore/beat(_:apps:)``).
final class PostgresNotifications: @unchecked Sendable {
    private let settings: PostgresStore.Settings
    private let logger: Logger
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var handlers: [String: [UUID: @Sendable () -> Void]] = [:]
    private var listening: Set<String> = []

    init(settings: PostgresStore.Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Calls `handler` on every notification on `channel` while the token lives.
    func observe(_ channel: String, _ handler: @escaping @Sendable () -> Void) -> PostgresObservation {
        let id = UUID()
        lock.withLock { handlers[channel, default: [:]][id] = handler }
        ensureListening()
        return PostgresObservation { [weak self] in
            guard let self else { return }
            self.lock.withLock { _ = self.handlers[channel]?.removeValue(forKey: id) }
        }
    }

    /// (Re)opens the listening connection when it is missing or closed, and
    /// listens on every channel that has a handler.
    func ensureListening() {
        lock.withLock {
            guard handlers.values.contains(where: { !$0.isEmpty }) else { return }
            if connection?.isClosed ?? true {
                listening = []
                do {
                    connection = try PostgresLink.connect(settings, logger: logger)
                } catch {
                    connection = nil
                    logger.warning("cannot listen for store notifications; polling only", metadata: ["error": "\(error)"])
                    return
                }
            }
            guard let connection else { return }
            for channel in handlers.keys where !listening.contains(channel) {
                connection.addListener(channel: channel) { [weak self] _, _ in self?.fire(channel) }
                listening.insert(channel)
            }
        }
    }

    private func fire(_ channel: String) {
        let targets = lock.withLock { Array(handlers[channel, default: [:]].values) }
        for handler in targets { handler() }
    }

    func close() {
        lock.withLock {
            connection?.closeSoon()
            connection = nil
        }
    }

    deinit { connection?.closeSoon() }
}

/// Keeps a notification handler registered for as long as it is kept.
final class PostgresObservation: Sendable {
    private let cancel: @Sendable () -> Void
    init(cancel: @escaping @Sendable () -> Void) { self.cancel = cancel }
    deinit { cancel() }
}
