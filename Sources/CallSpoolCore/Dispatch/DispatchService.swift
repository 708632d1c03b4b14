import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// One application's dispatch: its scheduler and the placer that sends
/// with its credentials.
public struct DispatchLane: Sendable {
    public let scheduler: Scheduler
    public let placer: any CallPlacer

    public init(scheduler: Scheduler, placer: any CallPlacer) {
        self.scheduler = scheduler
        self.placer = placer
    }
}

/// Runs the applications' ``Scheduler``s as one lifecycle service: each
/// pass's tickets are sent concurrently (bounded by the port limits) in one
/// task group, and the answers are recorded in batches by one recorder task
/// (``AnswerInbox``); the loop sleeps until the earliest next deadline or a
/// ``Wakeup`` signal. On graceful shutdown it stops issuing requests and
/// waits for the ones in flight (bounded by the platform timeout), so the
/// store stays consistent.
public struct DispatchService: Service {
    /// One per application, in configuration order.
    public let lanes: [DispatchLane]
    /// The first application's scheduler.
    public var scheduler: Scheduler { lanes[0].scheduler }
    public let wakeup: Wakeup
    public let clock: any WallClock
    /// Calls that ended (from the callback receiver): their ports are free.
    /// Taken in batches: one wake-up of the loop per batch, not per call.
    public let callEnds: CallEndRelay?
    /// Dispatch latency (request committed → platform's answer).
    let metrics: CallspoolMetrics
    let logger: Logger
    /// While the store cannot take writes, no request is sent (a request
    /// goes only after its `dispatching` row is committed) and answers that
    /// could not be recorded are kept and recorded when space returns.
    public var storage: StorageHealth?
    /// How answers the store refused are tried again (tests inject the time).
    public var answerRetry = AnswerRetry()
    public let progress = ProgressBeacon(name: "scheduler")  // beaten every pass: the systemd watchdog is fed only while it moves

    public init(
        scheduler: Scheduler, placer: any CallPlacer, wakeup: Wakeup, clock: any WallClock, callEnds: CallEndRelay? = nil,
        logger: Logger = Logger(label: "callspool.dispatch"), metrics: CallspoolMetrics = .disabled
    ) {
        self.init(lanes: [DispatchLane(scheduler: scheduler, placer: placer)], wakeup: wakeup, clock: clock, callEnds: callEnds, logger: logger, metrics: metrics)
    }

    /// - Parameter lanes: at least one.
    public init(
        lanes: [DispatchLane], wakeup: Wakeup, clock: any WallClock, callEnds: CallEndRelay? = nil,
        logger: Logger = Logger(label: "callspool.dispatch"), metrics: CallspoolMetrics = .disabled
    ) {
        precondition(!lanes.isEmpty, "a dispatcher needs at least one application")
        self.metrics = metrics
        self.lanes = lanes
        self.wakeup = wakeup
        self.clock = clock
        self.callEnds = callEnds
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation. Throws
    /// ``DispatcherStepsDown`` when answers stayed refused for want of the
    /// dispatcher lease past ``AnswerRetry/leaseGrace`` while the term went
    /// on: the caller (``DispatcherElection``) then gives the term up, so
    /// that the next term makes those jobs `unknown`.
    public func run() async throws {
        for lane in lanes { try await lane.scheduler.start() }
        let inbox = AnswerInbox()
        try await withThrowingDiscardingTaskGroup { group in
            if let callEnds {
                group.addTask { [lanes, wakeup] in
                    for await _ in callEnds.arrivals.cancelOnGracefulShutdown() {
                        let batch = callEnds.take()
                        guard !batch.isEmpty else { continue }
                        for lane in lanes { await lane.scheduler.callEnded(batch) }
                        wakeup.signal()
                    }
                }
            }
            // The recorder: every answer that has arrived, one transaction per application.
            group.addTask { [lanes, wakeup, logger, answerRetry] in
                while let batch = await inbox.next() {
                    for (index, lane) in lanes.enumerated() {
                        let answers = batch.filter { $0.lane == index }.map { ($0.ticket, $0.result) }
                        guard !answers.isEmpty else { continue }
                        do {
                            try await recordKeepingThroughStorageTrouble(answers, by: lane.scheduler)
                        } catch where (error as? any StoreErrorExplaining)?.isDispatcherLeaseRefusal == true
                            && !Task.isCancelled && !Task.isShuttingDownGracefully
                        {
                            // The same term went on, so no new term would make
                            // these jobs `unknown`: this one ends (the group is
                            // cancelled, run() throws) and the election gives the
                            // lease up.
                            let stepDown = DispatcherStepsDown(answers: answers.count, refusedFor: answerRetry.leaseGrace)
                            logger.error("\(stepDown)", metadata: ["error": "\(error)"])
                            throw stepDown
                        } catch {
                            logger.error(
                                "could not record the platform's answers; those jobs stay dispatching and become unknown at the next start",
                                metadata: ["answers": "\(answers.count)", "error": "\(error)"])
                        }
                    }
                    wakeup.signal()
                }
            }
            await withGracefulShutdownHandler {
                while !Task.isShuttingDownGracefully, !Task.isCancelled, !group.isCancelled {
                    progress.beat()
                    var wakeAt = clock.now.addingTimeInterval(1)
                    do {
                        if storage?.pausesWork == true {
                            await wakeup.wait(timeout: .seconds(1))
                            continue
                        }
                        for (index, lane) in lanes.enumerated() {
                            let pass = try await lane.scheduler.tick()
                            wakeAt = min(wakeAt, pass.wakeAt)
                            guard !pass.tickets.isEmpty else { continue }
                            await inbox.expect(pass.tickets.count)
                            let convention = await lane.scheduler.createdClock
                            for ticket in pass.tickets {
                                // Also in a cancelled group (the term ending): every
                                // expected answer must come, or the recorder would
                                // wait for it.
                                group.addTask { await send(ticket, lane: index, createdClock: convention, to: inbox) }
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
    func send(_ ticket: DispatchTicket, lane: Int, createdClock convention: CreatedClock, to inbox: AnswerInbox) async {
        let started = ContinuousClock.now
        let result = await lanes[lane].placer.place(ticket, createdClock: convention)
        metrics.recordDispatchLatency(ContinuousClock.now - started)
        await inbox.put(lane: lane, ticket, result)
    }

    /// Records a batch of answers; when the store cannot take them (full
    /// disk), keeps them and tries again every second until it can: the
    /// requests were sent, their sessionIds are what matches the callbacks.
    func recordKeepingThroughStorageTrouble(_ batch: [(DispatchTicket, CallAttemptResult)], by scheduler: Scheduler) async throws {
        try await Self.keepRecording(storage: storage, logger: logger, retry: answerRetry) { try await scheduler.complete(batch) }
    }

    /// Runs `record` until it succeeds. A storage failure (full disk,
    /// database away) is retried every `retry.interval` for as long as it
    /// lasts; a refusal for want of the lease for `retry.leaseGrace`: the
    /// same instance usually renews the same lease within a second. When
    /// the grace is over it throws the refusal, and ``run()`` ends the term
    /// (``DispatcherStepsDown``). Anything else, or a shutdown, throws.
    static func keepRecording(
        storage: StorageHealth?, logger: Logger, retry: AnswerRetry = AnswerRetry(), _ record: () async throws -> Void
    ) async throws {
        var leaseRefusedSince: ContinuousClock.Instant?
        while true {
            do {
                try await record()
                return
            } catch {
                // On shutdown the answers are given up: their jobs stay
                // `dispatching` and become `unknown` at the next start.
                guard !Task.isCancelled, !Task.isShuttingDownGracefully else { throw error }
                if (error as? any StoreErrorExplaining)?.isDispatcherLeaseRefusal == true {
                    if leaseRefusedSince == nil {
                        leaseRefusedSince = retry.now()
                        logger.notice("answers wait for the dispatcher lease to be renewed", metadata: ["error": "\(error)"])
                    }
                    guard let since = leaseRefusedSince, retry.now() - since < retry.leaseGrace else { throw error }
                } else {
                    guard let storage, storage.recordFailure(error, at: Date()) else { throw error }
                }
                await retry.pause(retry.interval)
            }
        }
    }
}

/// How the dispatcher tries again to record answers the store refused.
public struct AnswerRetry: Sendable {
    /// Between two tries.
    public var interval: Duration
    /// How long answers refused for want of the dispatcher lease are tried
    /// again: long enough for a late renewal of the same lease (the term's
    /// own clock ran short under load), short of keeping answers whose jobs
    /// a new dispatcher has already made `unknown`.
    public var leaseGrace: Duration
    /// This instance's monotonic time.
    public var now: @Sendable () -> ContinuousClock.Instant
    /// Waits `interval` (a test moves its clock instead).
    public var pause: @Sendable (Duration) async -> Void

    public init(
        interval: Duration = .seconds(1), leaseGrace: Duration = .seconds(30),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) {
        self.interval = interval
        self.leaseGrace = leaseGrace
        self.now = now
        self.pause = pause
    }
}

/// The dispatcher gives its term up: the store refused its answers for want
/// of the dispatcher lease for longer than ``AnswerRetry/leaseGrace`` while
/// the same term went on, so their jobs would stay `dispatching` with nobody
/// to make them `unknown`. The election releases the lease; the next term
/// (this instance's or another's, with a new epoch) makes them `unknown`, to
/// be reconciled by callbacks, never sent twice.
public struct DispatcherStepsDown: Error, CustomStringConvertible {
    public let answers: Int
    public let refusedFor: Duration

    public var description: String {
        "the store refused \(answers) answers for want of the dispatcher lease for \(refusedFor) while this instance's term went on; "
            + "it gives the term up so that the next term makes their jobs unknown (reconciled by callbacks, never sent twice). "
            + "If this repeats, the instance cannot renew its lease in time: check its load and the database's latency, or lengthen [store] lease"
    }
}

extension Scheduler {
    /// Several call ends in one visit to the scheduler (one hop, then one
    /// pass for all of them).
    func callEnded(_ batch: [CallEndSignal]) {
        for signal in batch { callEnded(signal) }
    }
}
