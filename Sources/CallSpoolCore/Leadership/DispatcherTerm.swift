import Foundation
import Synchronization

/// The dispatcher lease as this instance knows it: which epoch it holds and
/// until when, on its own monotonic clock, it may act on it.
///
/// Exists so that a dispatcher that cannot reach the database stops by
/// itself: ``until`` is counted from the instant before the statement that
/// took or renewed the lease was sent, so it ends no later than the lease on
/// the database's clock, whatever the network did. The store's fence and
/// the request guard (``LeaseGuardedPlacer``) both consult it; a request is
/// sent only while at least ``margin`` is left, so it leaves before any
/// other instance can take over.
public final class DispatcherTerm: Sendable {
    /// How much of the lease must remain for a dispatch write to commit or
    /// a request to leave.
    public let margin: Duration
    private let state = Mutex<(epoch: Int64, until: ContinuousClock.Instant)?>(nil)
    private let now: @Sendable () -> ContinuousClock.Instant

    public init(margin: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.margin = margin
        self.now = now
    }

    /// The epoch held, while at least ``margin`` of it is left; nil otherwise.
    public var epoch: Int64? {
        let instant = now()
        return state.withLock { term in
            guard let term, instant + margin < term.until else { return nil }
            return term.epoch
        }
    }

    public var isHeld: Bool { epoch != nil }

    /// The epoch last taken or renewed, also when less than ``margin`` is
    /// left of it; nil after ``end()``. What a release gives up: the lease
    /// row is expired only if it still carries this holder and this epoch.
    public var takenEpoch: Int64? { state.withLock { $0?.epoch } }

    package func begin(epoch: Int64, until: ContinuousClock.Instant) {
        state.withLock { $0 = (epoch, until) }
    }

    /// A renewal of the same epoch moves its end later (never earlier).
    package func extend(epoch: Int64, until: ContinuousClock.Instant) {
        state.withLock { term in
            guard let current = term, current.epoch == epoch else { return }
            term = (epoch, max(current.until, until))
        }
    }

    /// The lease is lost or given up: nothing more is sent under it.
    public func end() {
        state.withLock { $0 = nil }
    }
}
