import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Runs the ``Scheduler`` as a lifecycle service: each pass's tickets are
/// sent concurrently (bounded by the port limit) in one task group; the loop
/// sleeps until the scheduler's next deadline or a ``Wakeup`` signal. On
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
        await withDiscardingTaskGroup { group in
            if let callEnds {
                group.addTask { [scheduler, wakeup] in
                    for await signal in callEnds.cancelOnGracefulShutdown() {
                        await scheduler.callEnded(signal)
                        wakeup.signal()
                    }
                }
            }
            await withGracefulShutdownHandler {
                while !Task.isShuttingDownGracefully, !Task.isCancelled {
                    var wakeAt = clock.now.addingTimeInterval(1)
                    do {
                        let pass = try await scheduler.tick()
                        wakeAt = pass.wakeAt
                        for ticket in pass.tickets {
                            group.addTask { await send(ticket) }
                        }
                    } catch {
                        logger.error("scheduling pass failed; retrying in 1 s", metadata: ["error": "\(error)"])
                    }
                    let wait = max(0.001, min(1, wakeAt.timeIntervalSince(clock.now)))
                    await wakeup.wait(timeout: Duration(timeInterval: wait))
                }
                logger.info("dispatch stopping: no new requests; waiting for those in flight")
            } onGracefulShutdown: {
                wakeup.signal()
            }
        }
    }

    func send(_ ticket: DispatchTicket) async {
        let started = ContinuousClock.now
        let convention = await scheduler.createdClock
        let result = await placer.place(ticket, createdClock: convention)
        metrics.recordDispatchLatency(ContinuousClock.now - started)
        do {
            try await scheduler.complete(ticket, with: result)
        } catch {
            logger.error("could not record a request's result; the job stays dispatching and becomes unknown at the next start", metadata: ["job": "\(ticket.jobId)", "error": "\(error)"])
        }
        wakeup.signal()
    }
}
