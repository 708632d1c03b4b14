import Foundation
import GRDB
import Synchronization

/// Watches a store's commits: which tables each one changed, and makes the
/// next one fail on demand (as a full disk does: rolled back, the write
/// throws).
///
/// Exists for the tests that count transactions (intake batching, bulk
/// control paging) or inject a failed commit (the scheduler's recovery),
/// without their naming GRDB's transaction observers. The daemon never
/// uses it (the benchmarks count commits with ``CommitCounter``).
package final class SQLiteCommitWatch: Sendable {
    /// What a failed commit throws.
    package struct InjectedFailure: Error {}

    /// The store holds it weakly: the store is watched as long as this watch lives.
    fileprivate let observer = Observer()

    package init() {}

    /// Every commit so far, oldest first, each with the tables whose rows
    /// it inserted, updated or deleted (empty: it changed no row).
    package var commits: [Set<String>] { observer.state.withLock { $0.commits } }

    /// Makes the store's next commit fail with ``InjectedFailure``.
    package func failNextCommit() { observer.state.withLock { $0.failNext = true } }

    /// The GRDB side, kept out of the watch's API.
    fileprivate final class Observer: TransactionObserver, Sendable {
        struct State {
            var commits: [Set<String>] = []
            var changing: Set<String> = []
            var failNext = false
        }

        let state = Mutex(State())

        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }

        func databaseDidChange(with event: DatabaseEvent) {
            let table = event.tableName
            state.withLock { _ = $0.changing.insert(table) }
        }

        func databaseWillCommit() throws {
            let fail = state.withLock { state in
                defer { state.failNext = false }
                return state.failNext
            }
            if fail { throw InjectedFailure() }
        }

        func databaseDidCommit(_ db: Database) {
            state.withLock { state in
                state.commits.append(state.changing)
                state.changing = []
            }
        }

        func databaseDidRollback(_ db: Database) { state.withLock { $0.changing = [] } }
    }
}

extension AppDatabase {
    /// Reports this store's commits to `watch` from now on, as long as `watch` lives.
    package func watchCommits(_ watch: SQLiteCommitWatch) {
        writer.add(transactionObserver: watch.observer, extent: .observerLifetime)
    }
}
