import CallSpoolCore
import GRDB
import Synchronization

/// Tells the results drainer, after commit, that a transaction queued
/// results files.
///
/// Exists because the outbox's one producer is a trigger inside whatever
/// transaction finished a job (callbacks, dispatcher, expiry, cancel, the
/// pending-event sweeper): watching `resultOutbox` on the store's writer
/// connection is the one place that sees all of them, without any of them
/// knowing the drainer. Guarantees: `onCommit` runs once per committed
/// transaction that inserted or re-queued an outbox row, after the commit
/// (so the drainer reads committed state), on the writer's queue (it must
/// return at once: it only signals); never for a rolled-back transaction.
/// The signal is a hint: the rows are the truth, and the drainer's periodic
/// poll covers a signal it missed.
public final class ResultsQueuedObserver: TransactionObserver, Sendable {
    private let queued = Mutex(false)
    private let onCommit: @Sendable () -> Void

    init(onCommit: @escaping @Sendable () -> Void) {
        self.onCommit = onCommit
    }

    public func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert(let table), .update(let table, _): table == "resultOutbox"
        case .delete: false
        }
    }

    public func databaseDidChange(with event: DatabaseEvent) {
        queued.withLock { $0 = true }
        // One row is enough to know: skip the rest of this transaction's rows.
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    public func databaseDidCommit(_ db: Database) {
        let fire = queued.withLock { value in
            defer { value = false }
            return value
        }
        if fire { onCommit() }
    }

    public func databaseDidRollback(_ db: Database) {
        queued.withLock { $0 = false }
    }
}

extension AppDatabase {
    /// Calls `onCommit` after every commit that queued a results file (see
    /// ``ResultsQueuedObserver``), for as long as the caller keeps the
    /// returned observer.
    public func observeQueuedResults(_ onCommit: @escaping @Sendable () -> Void) -> any Sendable {
        let observer = ResultsQueuedObserver(onCommit: onCommit)
        writer.add(transactionObserver: observer, extent: .observerLifetime)
        return observer
    }
}
