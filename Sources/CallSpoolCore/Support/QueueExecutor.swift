import Dispatch

/// A serial executor backed by a dispatch queue of its own, for the actors
/// whose work blocks: the scheduler (a pass is one synchronous write
/// transaction), intake (reading and committing spool files) and the results
/// outbox (create, write, `fsync`, rename, then a store write).
///
/// On Swift's cooperative pool (one thread per core, two on the target
/// machine) such work would hold a thread the HTTP client and the callback
/// receiver need; on its own queue it costs nobody else a thread.
final class QueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
