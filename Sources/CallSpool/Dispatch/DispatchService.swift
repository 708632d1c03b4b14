import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Runs the ``Scheduler`` as a lifecycle service: each pass's tickets are
/// sent concurrently (bounded by the port limit) in one task group, and the
/// answers are recorded in batches by one recorder task (``AnswerInbox``);
/// the loop sleeps until the scheduler's next deadline or a ``Wakeup`` signal. On
/// graceful shutdown it stops issuing requests and waits for the ones in
/// flight (bounded by the platform timeout), so the store stays consistent.
public struct DispatchService: Service {
    public let scheduler: Scheduler
    public let placer: any CallPlacer
    public let wakeup: Wakeup
    public let clock: any WallClock
    /// Calls that ended (from the callback receiver): their ports are free.
    public let callEnds: AsyncStream<CallEndSignal>?
    /// Dispatch latency (request committed → platform's answer).
    let metrics: CallspoolMetrics
    let logger: Logger
    /// While the store cannot take writes, no request is sent (a request
    /// goes only after its `dispatching` row is committed) and answers that
    /// could not be recorded are kept and recorded when space returns.
    public var storage: StorageHealth?
    public let progress = ProgressBeacon(name: "scheduler")  // beaten every pass: the systemd watchdog is fed only while it moves

    public init(
        scheduler: Scheduler, placer: any CallPlacer, wakeup: Wakeup, clock: any WallClock, callEnds: AsyncStream<CallEndSignal>? = nil,
        logger: Logger = Logger(label: "callspool.dispatch"), metrics: CallspoolMetrics = .disabled
    ) {
        self.metrics = metrics
        self.scheduler = scheduler
        self.placer = placer
        self.wakeup = wakeup
        self.clock = clock
        self.callEnds = callEnds
        self.logger = logger
    }

    public func run() async throws {
        try await scheduler.start()
        let inbox = AnswerInbox()
        await withDiscardingTaskGroup { group in
            if let callEnds {
                group.addTask { [scheduler, wakeup] in
                    for await signal in callEnds.cancelOnGracefulShutdown() {
                        await scheduler.callEnded(signal)
                        wakeup.signal()
                    }
                }
            }
            // The recorder: every answer that has arrived, in one transaction.
            group.addTask { [scheduler, wakeup, logger] in
                while let batch = await inbox.next() {
                    do {
                        try await recordKeepingThroughStorageTrouble(batch.map { ($0.ticket, $0.result) })
                    } catch {
                        logger.error(
                            "could not record the platform's answers; those jobs stay dispatching and become unknown at the next start",
                            metadata: ["answers": "\(batch.count)", "error": "\(error)"])
                    }
                    wakeup.signal()
                }
            }
            await withGracefulShutdownHandler {
                while !Task.isShuttingDownGracefully, !Task.isCancelled {
                    progress.beat()
                    var wakeAt = clock.now.addingTimeInterval(1)
                    do {
                        if storage?.pausesWork == true {
                            await wakeup.wait(timeout: .seconds(1))
                            continue
                        }
                        let pass = try await scheduler.tick()
                        wakeAt = pass.wakeAt
                        if !pass.tickets.isEmpty {
                            await inbox.expect(pass.tickets.count)
                            let convention = await scheduler.createdClock
                            for ticket in pass.tickets {
                                group.addTask { await send(ticket, createdClock: convention, to: inbox) }
                            }
                        }
                    } catch {
                        if storage?.recordFailure(error, at: clock.now) != true {
                            logger.error("scheduling pass failed; retrying in 1 s", metadata: ["error": "\(error)"])
                        }
                    }
                    let wait = max(0.001, min(1, wakeAt.timeIntervalSince(clock.now)))
                    await wakeup.wait(timeout: Duration(timeInterval: wait))
                }
                logger.info("dispatch stopping: no new requests; waiting for those in flight")
                await inbox.close()
            } onGracefulShutdown: {
                wakeup.signal()
            }
        }
    }

    /// Sends one request; the `Created` convention is read once per pass so
    /// the senders never wait for the scheduler.
    func send(_ ticket: DispatchTicket, createdClock convention: CreatedClock, to inbox: AnswerInbox) async {
        let started = ContinuousClock.now
        let result = await placer.place(ticket, createdClock: convention)
        metrics.recordDispatchLatency(ContinuousClock.now - started)
        await inbox.put(ticket, result)
    }

    /// Records a batch of answers; when the store cannot take them (full
    /// disk), keeps them and tries again every second until it can: the
    /// requests were sent, their sessionIds are what matches the callbacks.
    func recordKeepingThroughStorageTrouble(_ batch: [(DispatchTicket, CallAttemptResult)]) async throws {
        while true {
            do {
                try await scheduler.complete(batch)
                return
            } catch {
                // On shutdown the answers are given up: their jobs stay
                // `dispatching` and become `unknown` at the next start.
                guard let storage, storage.recordFailure(error, at: clock.now), !Task.isCancelled, !Task.isShuttingDownGracefully else { throw error }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
