import Dispatch

/// The serial executor the ``ResultsOutbox`` runs on: a dispatch queue of
/// its own.
///
/// Writing a results file is blocking work (create, write, `fsync`, rename)
/// followed by a store write that waits for the writer and fsyncs again. On
/// Swift's cooperative pool (one thread per core, two on the target machine)
/// that would hold a thread the callback receiver and the HTTP client need;
/// on this queue it costs nobody else a thread.
final class ResultsOutboxExecutor: SerialExecutor {
    private let queue = DispatchQueue(label: "callspool.results")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
