import Foundation
import Logging
import Synchronization

/// Whether the store (and spool) can take writes, shared by every service.
///
/// Two conditions pause intake and dispatch without ending anything:
/// - a **write failure** (disk full, read-only, I/O error; with PostgreSQL,
///   the server unreachable, shutting down or out of resources: see
///   ``StorageFailure``) seen by any service: a storage halt, cleared by
///   ``StorageMonitor`` once a probe write succeeds and free space is back
///   above `store.min_free`;
/// - **low space**: free bytes below `store.min_free` on the store's or the
///   spool's filesystem, measured by ``StorageMonitor``; the store is still
///   writable, so callbacks go on being stored in what is left.
/// One log line per change of state, not per failed write. Reads are
/// lock-protected and synchronous, so any service (and the scheduler's
/// executor) can ask cheaply.
public final class StorageHealth: Sendable {
    public struct State: Sendable, Equatable {
        /// Set while writes fail: why, and since when.
        public var writeFailure: String?
        public var failingSince: Date?
        /// Set while free space is below the threshold: which filesystem, how much is free.
        public var lowSpace: String?

        public var isHealthy: Bool { writeFailure == nil && lowSpace == nil }

        /// The reason to show in `status`, sd_notify and logs, nil when healthy.
        public var reason: String? {
            if let writeFailure { return "storage halt: \(writeFailure); intake and dispatch paused, callbacks answered" }
            if let lowSpace { return "low disk space: \(lowSpace); intake and dispatch paused, callbacks still stored" }
            return nil
        }
    }

    private let state = Mutex(State())
    let logger: Logger

    public init(logger: Logger = Logger(label: "callspool.storage")) {
        self.logger = logger
    }

    public var current: State { state.withLock { $0 } }

    /// Whether intake and dispatch must wait.
    public var pausesWork: Bool { !current.isHealthy }

    /// Records a failed write; returns whether it was a storage failure (and
    /// so handled: the caller keeps running and retries later).
    @discardableResult
    public func recordFailure(_ error: any Error, at now: Date) -> Bool {
        guard let reason = StorageFailure.reason(for: error) else { return false }
        let changed = state.withLock { state -> Bool in
            guard state.writeFailure == nil else { return false }
            state.writeFailure = reason
            state.failingSince = now
            return true
        }
        if changed {
            logger.critical("the store cannot be written: intake and dispatch paused, callbacks still answered; resumes by itself when writes succeed again", metadata: ["reason": "\(reason)"])
        }
        return true
    }

    /// A probe write succeeded and space is back: the storage halt ends.
    public func recordRecovered() {
        let was = state.withLock { state -> String? in
            defer { state.writeFailure = nil; state.failingSince = nil }
            return state.writeFailure
        }
        if let was { logger.notice("the store can be written again; intake and dispatch resume", metadata: ["was": "\(was)"]) }
    }

    /// The low-space condition as last measured (nil: enough space).
    public func setLowSpace(_ description: String?) {
        let previous = state.withLock { state -> String? in
            defer { state.lowSpace = description }
            return state.lowSpace
        }
        switch (previous, description) {
        case (nil, let now?):
            logger.warning("free disk space below store.min_free: intake and dispatch paused, callbacks still stored", metadata: ["where": "\(now)"])
        case (_?, nil):
            logger.notice("free disk space back above store.min_free; intake and dispatch resume")
        default:
            break
        }
    }
}
