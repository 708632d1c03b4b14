import CallSpoolCore
import Foundation
import PostgresNIO

/// The dispatcher lease as the database holds it (`status` shows it).
public struct DispatcherLeaseRecord: Codable, Sendable, Equatable {
    public var holder: String
    public var epoch: Int64
    public var acquiredAt: Date
    public var renewedAt: Date
    public var expiresAt: Date
}

/// One instance of a shared store, as its heartbeat row says.
public struct InstanceRecord: Codable, Sendable, Equatable {
    public var name: String
    public var pid: Int
    public var version: String
    public var address: String?
    public var startedAt: Date
    public var heartbeatAt: Date
}

extension PostgresStore {
    /// The database's clock, in epoch seconds: every lease time is on it,
    /// never on an instance's.
    static let databaseNow = "extract(epoch from clock_timestamp())::double precision"

    /// Takes the dispatcher lease when nobody holds it or its holder let it
    /// expire (on the database's clock), with a new epoch; nil while another
    /// instance holds it. The caller's ``DispatcherTerm`` is set from the
    /// instant before the statement was sent, so it ends no later than the
    /// lease on the database.
    public func acquireLease(ttl: Duration, term: DispatcherTerm) throws -> Int64? {
        let sent = ContinuousClock.now
        let epoch = try write { session in
            try session.scalar(
                Int64.self,
                """
                INSERT INTO dispatchLease (id, holder, epoch, acquiredAt, renewedAt, expiresAt)
                VALUES (1, $1, 1, \(Self.databaseNow), \(Self.databaseNow), \(Self.databaseNow) + $2)
                ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, epoch = dispatchLease.epoch + 1,
                    acquiredAt = excluded.acquiredAt, renewedAt = excluded.renewedAt, expiresAt = excluded.expiresAt
                WHERE dispatchLease.expiresAt <= excluded.acquiredAt
                RETURNING epoch
                """, [settings.instance, ttl.timeInterval])
        }
        if let epoch { term.begin(epoch: epoch, until: sent + ttl) }
        return epoch
    }

    /// Extends the lease this instance holds; false when it no longer does
    /// (another took it after it expired). The term is extended from the
    /// instant before the statement was sent.
    public func renewLease(ttl: Duration, term: DispatcherTerm) throws -> Bool {
        guard let epoch = term.epoch else { return false }
        let sent = ContinuousClock.now
        let renewed = try write { session in
            try session.changes(
                """
                UPDATE dispatchLease SET renewedAt = \(Self.databaseNow), expiresAt = \(Self.databaseNow) + $3
                WHERE id = 1 AND holder = $1 AND epoch = $2 AND expiresAt > \(Self.databaseNow)
                """, [settings.instance, epoch, ttl.timeInterval])
        }
        guard renewed > 0 else {
            term.end()
            return false
        }
        term.extend(epoch: epoch, until: sent + ttl)
        return true
    }

    /// Gives the lease up at once (graceful shutdown, or a dispatcher that
    /// stepped down): another instance need not wait for it to expire. Also
    /// when less than the margin is left of it on this instance's clock: the
    /// caller has stopped dispatching, and a lease another instance took
    /// since (another epoch) is left alone.
    public func releaseLease(term: DispatcherTerm) throws {
        guard let epoch = term.takenEpoch else { return }
        term.end()
        _ = try write { session in
            try session.execute(
                "UPDATE dispatchLease SET expiresAt = \(Self.databaseNow) WHERE id = 1 AND holder = $1 AND epoch = $2", [settings.instance, epoch])
        }
    }

    public func dispatcherLease() throws -> DispatcherLeaseRecord? {
        try read { session in try session.record(DispatcherLeaseRecord.self, "SELECT * FROM dispatchLease WHERE id = 1") }
    }

    /// The database's clock now (for lease ages in `status`).
    public func databaseTime() throws -> Date {
        try read { session in Date(timeIntervalSince1970: try session.scalar(Double.self, "SELECT \(Self.databaseNow)") ?? 0) }
    }

    /// `onWake` whenever any instance committed new jobs or ended calls
    /// (NOTIFY `callspool_wakeup`, delivered at commit), for as long as the
    /// token is kept: the dispatcher's pass comes at once instead of at its
    /// next poll.
    public func observeWakeups(_ onWake: @escaping @Sendable () -> Void) -> any Sendable {
        notifications.observe(PostgresSchema.wakeupChannel, onWake)
    }

    /// Ends the other sessions of this database whose last statement was a
    /// `LISTEN` (tests: a lost listening connection); returns how many.
    package func terminateListeningSessions() throws -> Int {
        try write { session in
            Int(try session.scalar(
                Int64.self,
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()") ?? 0)
        }
    }

    /// Whether this instance's connection to the store is encrypted (TLS).
    public func connectionIsEncrypted() throws -> Bool {
        try read { session in try session.scalar(Bool.self, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") ?? false }
    }

    public func instances() throws -> [InstanceRecord] {
        try read { session in try session.records(InstanceRecord.self, "SELECT * FROM instance ORDER BY name") }
    }

    /// Checks, inside a dispatch write, that this instance still holds the
    /// lease with at least ``DispatcherTerm/margin`` left on the database's
    /// clock; returns its epoch (nil when the store is not shared and no
    /// lease is in use).
    ///
    /// The check takes a share lock on the lease row: a takeover (an UPDATE
    /// of that row) waits for this transaction, so either this commit comes
    /// first and the new dispatcher's recovery sees its `dispatching` jobs,
    /// or the takeover comes first and this transaction fails here,
    /// changing nothing.
    func fence(_ session: PostgresSession) throws -> Int64? {
        guard let term = leadership else { return nil }
        guard let epoch = term.epoch else { throw PostgresStoreError.notLeader(instance: settings.instance, epoch: 0) }
        let held = try session.scalar(
            Int64.self,
            "SELECT epoch FROM dispatchLease WHERE id = 1 AND holder = $1 AND epoch = $2 AND expiresAt > \(Self.databaseNow) + $3 FOR SHARE",
            [settings.instance, epoch, term.margin.timeInterval])
        guard held != nil else {
            term.end()
            throw PostgresStoreError.notLeader(instance: settings.instance, epoch: epoch)
        }
        return epoch
    }
}
extension PostgresStore: DispatcherLeaseStore {}
