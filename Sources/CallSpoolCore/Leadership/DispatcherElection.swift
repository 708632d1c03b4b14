import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// The lease operations of a store shared by several instances
/// (``PostgresStore``): take, renew and give up the dispatcher lease.
public protocol DispatcherLeaseStore: Sendable {
    func acquireLease(ttl: Duration, term: DispatcherTerm) throws -> Int64?
    func renewLease(ttl: Duration, term: DispatcherTerm) throws -> Bool
    func releaseLease(term: DispatcherTerm) throws
}


/// Runs the dispatcher only while this instance holds the lease: one
/// instance of several sends requests at a time.
///
/// Guarantees: dispatch starts only after the lease is taken, and every
/// term starts as a daemon start does (``Scheduler/beginTerm()``: requests
/// in flight under older epochs become `unknown`, halts, pauses and the
/// learned `Created` convention are read from the store, slow start); the
/// lease is renewed every third of its time to live; when a renewal fails
/// or the local term runs out, dispatch stops at once (requests already
/// sent are recorded if the fence still allows, else their jobs are
/// recovered as `unknown` by the next dispatcher); on graceful shutdown
/// the lease is given up so another instance takes over without waiting,
/// and so it is when the dispatcher stops by itself (``DispatcherStepsDown``:
/// answers it could not record under this term), so that the next term —
/// another instance's, or this one's with a new epoch — recovers their jobs.
public struct DispatcherElection: Service {
    public let store: any DispatcherLeaseStore
    public let term: DispatcherTerm
    public let dispatch: DispatchService
    public let ttl: Duration
    let logger: Logger
    /// A lease operation that fails because the store is down (a database
    /// outage) is recorded here, as a storage halt, once, instead of a
    /// warning at every retry.
    public var storage: StorageHealth?
    /// Dates the storage halt's start (``StorageHealth/recordFailure(_:at:)``).
    public var clock: any WallClock = SystemWallClock()

    public init(store: any DispatcherLeaseStore, term: DispatcherTerm, dispatch: DispatchService, ttl: Duration, logger: Logger) {
        self.store = store
        self.term = term
        self.dispatch = dispatch
        self.ttl = ttl
        self.logger = logger
    }

    public func run() async throws {
        let retry = ttl / 3
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let epoch: Int64?
            do {
                epoch = try await StoreThreads.run { [store, ttl, term] in try store.acquireLease(ttl: ttl, term: term) }
            } catch {
                if storage?.recordFailure(error, at: clock.now) != true {
                    logger.warning("cannot reach the store to take the dispatcher lease; retrying", metadata: ["error": "\(error)"])
                }
                epoch = nil
            }
            guard let epoch else {
                try? await Task.sleep(for: retry)
                continue
            }
            logger.notice("this instance dispatches now", metadata: ["epoch": "\(epoch)"])
            let steppedDown = await lead(epoch: epoch)
            if steppedDown {
                logger.warning("this instance gave up its dispatcher term; a new term recovers its jobs in flight", metadata: ["epoch": "\(epoch)"])
                continue
            }
            if Task.isShuttingDownGracefully {
                try? await StoreThreads.run { [store, term] in try store.releaseLease(term: term) }
                logger.info("dispatcher lease given up", metadata: ["epoch": "\(epoch)"])
                return
            }
            logger.warning("this instance lost the dispatcher lease; it sends nothing until it takes it again", metadata: ["epoch": "\(epoch)"])
        }
        try? await StoreThreads.run { [store, term] in try store.releaseLease(term: term) }
    }

    /// One term: dispatch and renewals side by side until either ends.
    /// Returns whether the dispatcher gave the term up by itself (then the
    /// lease is released: dispatch has stopped and sends nothing more).
    private func lead(epoch: Int64) async -> Bool {
        for lane in dispatch.lanes { await lane.scheduler.beginTerm() }
        let steppedDown = await withTaskGroup(of: Bool.self) { group -> Bool in
            group.addTask { [dispatch, logger] in
                do {
                    try await dispatch.run()
                } catch let stepDown as DispatcherStepsDown {
                    logger.error("dispatch stopped", metadata: ["error": "\(stepDown)"])
                    return true
                } catch {
                    logger.error("dispatch stopped", metadata: ["error": "\(error)"])
                }
                return false
            }
            group.addTask { [store, term, ttl, logger, storage, clock] in
                while !Task.isCancelled, !Task.isShuttingDownGracefully {
                    try? await Task.sleep(for: ttl / 3)
                    guard !Task.isShuttingDownGracefully else { return false }
                    do {
                        guard try await StoreThreads.run({ try store.renewLease(ttl: ttl, term: term) }) else { return false }
                    } catch {
                        if storage?.recordFailure(error, at: clock.now) != true {
                            logger.warning("cannot renew the dispatcher lease", metadata: ["error": "\(error)"])
                        }
                    }
                    // Past the margin on this instance's own clock: stop now.
                    guard term.isHeld else { return false }
                }
                return false
            }
            // Whichever ends first ends the term (shutdown ends dispatch); a
            // dispatcher that stepped down has stopped sending already.
            let steppedDown = await group.next() ?? false
            if !steppedDown { term.end() }
            group.cancelAll()
            return steppedDown
        }
        // Dispatch has ended (its requests done or cancelled) and so have the
        // renewals: the lease is given up at once, whatever is left of it.
        if steppedDown { try? await StoreThreads.run { [store, term] in try store.releaseLease(term: term) } }
        return steppedDown
    }
}
