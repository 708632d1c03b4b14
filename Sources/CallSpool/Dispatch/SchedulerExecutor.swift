import Dispatch

/// The serial executor the ``Scheduler`` runs on: a dispatch queue of its own.
///
/// The scheduler's store work is synchronous (a scheduling pass is one write
/// transaction that reads and writes as it decides). On Swift's cooperative
/// pool — one thread per core, two on the target machine — a pass waiting
/// for the store's writer would hold one of those threads and stall the HTTP
/// client, the callback receiver and everything else scheduled there. On its
/// own queue, the scheduler's waits cost nobody else a thread.
final class SchedulerExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String = "callspool.scheduler") {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
