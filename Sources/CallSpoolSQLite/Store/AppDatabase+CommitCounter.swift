import CallSpoolCore
import Foundation
import GRDB

/// Counts the store's commits during the run (callback batches, results
/// queue clears, heartbeats): events ÷ commits is the group-commit batch size.
package final class CommitCounter: TransactionObserver, @unchecked Sendable {
    package init() {}
    private let lock = NSLock()
    private var commits = 0
    package var count: Int { lock.withLock { commits } }
    package func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    package func databaseDidChange(with event: DatabaseEvent) {}
    package func databaseDidCommit(_ db: Database) { lock.withLock { commits += 1 } }
    package func databaseDidRollback(_ db: Database) {}
}

extension AppDatabase {
    /// Counts every commit of this store in `counter` from now on (benchmarks).
    package func countCommits(in counter: CommitCounter) {
        writer.add(transactionObserver: counter, extent: .observerLifetime)
    }
}
