import CallSpoolCore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection, used by one store call at a time: runs
/// statements and waits for their answer on the calling thread.
///
/// Exists because ``CallStore``'s operations are synchronous (they run on
/// the store's own threads, never on the async runtime's): a statement is
/// sent through postgres-nio's event loop and the caller waits, with a
/// deadline, so a database that stops answering (a network partition) fails
/// the call after `timeout` instead of holding the caller forever. On a
/// deadline the connection is closed: its state is unknown, so the next call
/// opens a new one.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    let timeout: Duration
    /// Statements sent without waiting for their answer (``send(_:_:)``).
    private let pending = PendingStatements()
    /// Row writes held back to be sent together (``PostgresRowBatch``).
    let batch = PostgresRowBatch()
    /// Whether ``savepoint(_:)`` sets real savepoints in this transaction.
    let isolation: SavepointIsolation

    init(connection: PostgresConnection, logger: Logger, timeout: Duration, isolation: SavepointIsolation = SavepointIsolation()) {
        self.connection = connection
        self.logger = logger
        self.timeout = timeout
        self.isolation = isolation
    }

    /// Runs one statement and returns its result (rows and row count).
    @discardableResult
    func execute(_ sql: String, _ arguments: PostgresArguments = []) throws -> PostgresQueryResult {
        try sendBatch()
        let query = PostgresQuery(unsafeSQL: sql, binds: arguments.bindings)
        let answer: PostgresQueryResult
        do {
            answer = try wait(connection.query(query, logger: logger))
        } catch {
            // A statement sent earlier may have failed first (this one then
            // fails only because the transaction is aborted): that one is the cause.
            try flush()
            throw Self.mapped(error, sql: sql)
        }
        try flush()
        return answer
    }

    /// Sends a statement whose answer is not needed and goes on at once:
    /// the connection runs statements in order, so the next waited one (or
    /// ``flush()``, which the transaction and savepoints call before they
    /// end) comes after it, and its failure is reported there. Saves a
    /// round trip's wait per row written.
    func send(_ sql: String, _ arguments: PostgresArguments = []) throws {
        try sendBatch()
        sendNow(sql, arguments)
    }

    private func sendNow(_ sql: String, _ arguments: PostgresArguments) {
        pending.append(sql: sql, connection.query(PostgresQuery(unsafeSQL: sql, binds: arguments.bindings), logger: logger))
    }

    /// Sends the held-back row writes (``PostgresRowBatch``) ahead of
    /// whatever statement comes next, so that statement sees them.
    func sendBatch() throws {
        for (sql, arguments) in try batch.take() { sendNow(sql, arguments) }
    }

    /// Waits for every statement sent with ``send(_:_:)``; throws the first failure.
    func flush() throws {
        try sendBatch()
        for (sql, future) in pending.takeAll() {
            do {
                _ = try wait(future)
            } catch {
                for (_, rest) in pending.takeAll() { _ = try? wait(rest) }
                throw Self.mapped(error, sql: sql)
            }
        }
    }

    /// The server refused the statement (the transaction can go on after a
    /// savepoint rollback), or the connection failed (it cannot).
    static func mapped(_ error: any Error, sql: String) -> any Error {
        guard let psql = error as? PSQLError else { return error }
        if let message = psql.serverInfo?[.message] {
            return PostgresStatementError(message: message, sqlState: psql.serverInfo?[.sqlState] ?? "", statement: sql)
        }
        return PostgresStoreError.connectionLost(PostgresLink.describe(psql))
    }

    /// The rows of a query, each readable by column name (lower case: the
    /// schema's names are folded by PostgreSQL).
    func rows(_ sql: String, _ arguments: PostgresArguments = []) throws -> [PostgresRandomAccessRow] {
        try execute(sql, arguments).map { $0.makeRandomAccess() }
    }

    /// The first column of every row, decoded in place (no per-row lookup
    /// table): for long lists of ids, read every pass.
    func column<Value: PostgresDecodable>(_ type: Value.Type, _ sql: String, _ arguments: PostgresArguments = []) throws -> [Value] {
        try execute(sql, arguments).map { try $0.decode(Value.self) }
    }

    func row(_ sql: String, _ arguments: PostgresArguments = []) throws -> PostgresRandomAccessRow? {
        try rows(sql, arguments).first
    }

    /// Rows inserted, updated or deleted by one statement.
    @discardableResult
    func changes(_ sql: String, _ arguments: PostgresArguments = []) throws -> Int {
        try execute(sql, arguments).metadata.rows ?? 0
    }

    /// Records of type `Record` (Codable, columns named as its coding keys).
    func records<Record: Decodable>(_ type: Record.Type, _ sql: String, _ arguments: PostgresArguments = []) throws -> [Record] {
        try rows(sql, arguments).map { try PostgresRecordDecoder.decode(Record.self, from: $0) }
    }

    func record<Record: Decodable>(_ type: Record.Type, _ sql: String, _ arguments: PostgresArguments = []) throws -> Record? {
        try records(type, sql, arguments).first
    }

    /// The first column of the first row, or nil (no row, or NULL).
    func scalar<Value: PostgresDecodable>(_ type: Value.Type, _ sql: String, _ arguments: PostgresArguments = []) throws -> Value? {
        guard let row = try row(sql, arguments), row.count > 0, row[0].bytes != nil else { return nil }
        return try row[0].decode(Value.self)
    }

    /// Announces `channel` to every listening instance when this transaction commits.
    func notify(_ channel: String) throws {
        try send("SELECT pg_notify($1, '')", [channel])
    }

    /// Runs `body` in a savepoint: what it wrote is undone alone if it throws.
    ///
    /// On a first, optimistic run of a transaction (``SavepointIsolation``)
    /// no savepoint is set: `body` runs bare and, if it throws, the
    /// transaction is marked so that it is rolled back before it can commit
    /// and run again with real savepoints. Two round trips saved per item
    /// of a batch (an answer, a push, a file) in the usual case where none fails.
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        if isolation.optimistic {
            do {
                return try body()
            } catch {
                isolation.failedBare = true
                isolation.noteConflict(error)
                throw error
            }
        }
        try execute("SAVEPOINT callspool")
        do {
            let value = try body()
            try flush()
            try execute("RELEASE SAVEPOINT callspool")
            return value
        } catch {
            isolation.noteConflict(error)
            if let conflict = isolation.conflict { throw conflict }
            batch.discard()  // the body's own writes: undone below anyway
            try? flush()
            try execute("ROLLBACK TO SAVEPOINT callspool")
            try execute("RELEASE SAVEPOINT callspool")
            throw error
        }
    }

    private func wait<Value: Sendable>(_ future: EventLoopFuture<Value>) throws -> Value {
        let outcome = PostgresWaiter<Value>()
        future.whenComplete { outcome.finish($0) }
        guard let result = outcome.wait(timeout: timeout) else {
            connection.closeSoon()
            throw PostgresStoreError.timedOut(timeout)
        }
        return try result.get()
    }
}

/// Whether a transaction's savepoints are real, and whether a bare one failed.
///
/// A transaction runs first with ``optimistic`` set: ``PostgresSession/savepoint(_:)``
/// then runs its body without a savepoint. If a body fails (``failedBare``),
/// what it wrote cannot be undone alone, so the link rolls the whole
/// transaction back (never commits it) and runs it again with real savepoints.
///
/// It also keeps a lock conflict (a deadlock victim) met inside a
/// savepoint: the caller of a savepoint counts a failure as that item's
/// own, but a conflict is the transaction's, which the link runs again whole.
final class SavepointIsolation: @unchecked Sendable {
    var optimistic: Bool
    var failedBare = false
    private(set) var conflict: PostgresStatementError?

    init(optimistic: Bool = false) { self.optimistic = optimistic }

    func noteConflict(_ error: any Error) {
        if conflict == nil, let statement = error as? PostgresStatementError, statement.isTransactionConflict { conflict = statement }
    }
}

/// Futures of statements sent without waiting, in the order sent.
private final class PendingStatements: @unchecked Sendable {
    private var items: [(sql: String, future: EventLoopFuture<PostgresQueryResult>)] = []

    func append(sql: String, _ future: EventLoopFuture<PostgresQueryResult>) { items.append((sql, future)) }

    func takeAll() -> [(sql: String, future: EventLoopFuture<PostgresQueryResult>)] {
        defer { items.removeAll(keepingCapacity: true) }
        return items
    }
}

/// A statement the server refused: its message and SQLSTATE (a constraint,
/// a serialization failure), the statement's first line named.
public struct PostgresStatementError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var sqlState: String
    var statement: String

    /// The server ended the transaction to break a deadlock (40P01) or
    /// because it could not be serialized (40001): nothing of it is kept,
    /// and running it again is the remedy.
    var isTransactionConflict: Bool { sqlState == "40P01" || sqlState == "40001" }

    public var description: String {
        let head = statement.split(separator: "\n").first.map { String($0.prefix(80)) } ?? ""
        return "PostgreSQL refused a statement: \(message) (SQLSTATE \(sqlState); \(head.trimmingCharacters(in: .whitespaces)))"
    }
}

/// A future's result handed from the event loop to the waiting store thread.
private final class PostgresWaiter<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<Value, any Error>?

    func finish(_ result: Result<Value, any Error>) {
        lock.withLock { self.result = result }
        done.signal()
    }

    func wait(timeout: Duration) -> Result<Value, any Error>? {
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        guard done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else { return nil }
        return lock.withLock { result }
    }
}

/// Values bound to a statement's `$1…$n`, in order.
///
/// Dates are bound as epoch seconds (the schema keeps times as double
/// precision, like the SQLite store, so both read the same); a nil is bound
/// with its type, so PostgreSQL can compare it with a typed column.
struct PostgresArguments: ExpressibleByArrayLiteral {
    var bindings = PostgresBindings()

    init(arrayLiteral elements: any PostgresBindable...) {
        for element in elements { element.bind(to: &bindings) }
    }

    init(_ elements: [any PostgresBindable]) {
        for element in elements { element.bind(to: &bindings) }
    }

    mutating func append(_ value: any PostgresBindable) { value.bind(to: &bindings) }
}

/// A Swift value that can be bound to a statement parameter.
protocol PostgresBindable {
    func bind(to bindings: inout PostgresBindings)
    static func bindNull(to bindings: inout PostgresBindings)
}

extension String: PostgresBindable {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
    static func bindNull(to bindings: inout PostgresBindings) { bindings.append(String?.none) }
}

extension Int: PostgresBindable {
    func bind(to bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
    static func bindNull(to bindings: inout PostgresBindings) { bindings.append(Int64?.none) }
}

extension Int64: PostgresBindable {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
    static func bindNull(to bindings: inout PostgresBindings) { bindings.append(Int64?.none) }
}

extension Double: PostgresBindable {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
    static func bindNull(to bindings: inout PostgresBindings) { bindings.append(Double?.none) }
}

extension Bool: PostgresBindable {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
    static func bindNull(to bindings: inout PostgresBindings) { bindings.append(Bool?.none) }
}

extension Date: PostgresBindable {
    func bind(to bindings: inout PostgresBindings) { bindings.append(timeIntervalSince1970) }
    static func bindNull(to bindings: inout PostgresBindings) { bindings.append(Double?.none) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    func bind(to bindings: inout PostgresBindings) {
        if let value = self { value.bind(to: &bindings) } else { Wrapped.bindNull(to: &bindings) }
    }

    static func bindNull(to bindings: inout PostgresBindings) { Wrapped.bindNull(to: &bindings) }
}

/// A text array bound as one parameter (`= ANY($1::text[])`, `unnest`).
struct PostgresTextArray: PostgresBindable {
    var values: [String]
    init(_ values: [String]) { self.values = values }
    func bind(to bindings: inout PostgresBindings) { bindings.append(values) }
    static func bindNull(to bindings: inout PostgresBindings) { bindings.append([String]?.none) }
}

/// A bigint array bound as one parameter (`= ANY($1::bigint[])`, `unnest`).
struct PostgresInt64Array: PostgresBindable {
    var values: [Int64]
    init(_ values: [Int64]) { self.values = values }
    func bind(to bindings: inout PostgresBindings) { bindings.append(values) }
    static func bindNull(to bindings: inout PostgresBindings) { bindings.append([Int64]?.none) }
}

/// A value read from a row: what ``PostgresRecordDecoder`` and the store's
/// own reads need, with the column named on failure.
extension PostgresRandomAccessRow {
    func value<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        try self[column].decode(Value.self)
    }

    func optional<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value? {
        let cell = self[column]
        guard cell.bytes != nil else { return nil }
        return try cell.decode(Value.self)
    }

    func date(_ column: String) throws -> Date { Date(timeIntervalSince1970: try value(column, as: Double.self)) }
    func optionalDate(_ column: String) throws -> Date? { try optional(column, as: Double.self).map(Date.init(timeIntervalSince1970:)) }
}

extension PostgresConnection {
    /// Closes the connection without waiting (its state is unknown, or it is no longer needed).
    /// The connection stays referenced until it is closed (postgres-nio
    /// requires a connection to be closed before it is released).
    func closeSoon() {
        let closing: EventLoopFuture<Void> = close()
        closing.whenComplete { _ in withExtendedLifetime(self) {} }
    }
}
