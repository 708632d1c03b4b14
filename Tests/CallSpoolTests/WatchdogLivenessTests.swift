@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import CallspoolTestSupport
import Logging
import ServiceLifecycle
import Testing
import Synchronization
import VoiceCallAPI

/// The systemd watchdog is fed only while intake, scheduler and receiver make
/// progress. Before the fix `WATCHDOG=1` went out from the notify loop alone,
/// so a wedged intake (issue 12) was never restarted.
@Suite struct WatchdogLivenessTests {
    @Test(.timeLimit(.minutes(1)))
    func stalledIntakeStarvesTheWatchdogThenRecovers() async throws {
        let listener = try NotifySocketListener()
        let spool = try SpoolFixture()
        let intake = IntakeService(intake: spool.intake, settle: .milliseconds(10), rescanInterval: .seconds(3600))
        let readiness = ReadinessSignal(waitingFor: [])
        let notify = SystemdNotifyService(
            notifier: SystemdNotifier(socketPath: listener.address), readiness: readiness, statusInterval: .seconds(3600),
            watchdogInterval: .milliseconds(50), liveness: LivenessMonitor(beacons: [intake.progress], limit: .milliseconds(400)),
            logger: Logger(label: "test")
        ) { "ok" }
        let group = ServiceGroup(configuration: .init(services: [.init(service: intake), .init(service: notify)], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        #expect(await listener.messages(until: "WATCHDOG=1").last?.contains("WATCHDOG=1") == true)
        // Stall intake for real: hold the store's write lock, then drop a file.
        let held = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        // On a thread of its own: the test must not block the cooperative pool.
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? spool.database.write { _ in
                held.signal()
                release.wait()
            }
            finished.signal()
        }
        await Self.wait(for: held)
        try spool.drop("blocked.json", JobText.verify("blocked"))
        let stalled = await listener.messages(until: "WATCHDOG=trigger")
        let trigger = stalled.last ?? ""
        #expect(trigger.contains("WATCHDOG=trigger"))
        #expect(trigger.contains("STATUS=stalled: intake"))
        #expect(!trigger.contains("WATCHDOG=1"))
        release.signal()
        await Self.wait(for: finished)
        // Progress again: pings resume.
        #expect(await listener.messages(until: "WATCHDOG=1").last?.contains("WATCHDOG=1") == true)
        // The file that waited is taken in (a ping only says intake moves again;
        // on a busy machine its commit may come a little after).
        #expect(try await eventually { try spool.database.jobDetail(id: "blocked") != nil })
        await group.triggerGracefulShutdown()
        try await running.value
    }

    private static func wait(for semaphore: DispatchSemaphore) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                semaphore.wait()
                continuation.resume()
            }
        }
    }

    @Test func onDemandBeaconIsLiveWhenIdleAndStalledWhenWorkHangs() {
        let clock = Mutex(ContinuousClock.now)
        let beacon = ProgressBeacon(name: "receiver", onDemand: true) { clock.withLock { $0 } }
        clock.withLock { $0 = $0.advanced(by: .seconds(60)) }
        #expect(beacon.stalledFor(limit: .seconds(1)) == nil)
        beacon.enter()
        clock.withLock { $0 = $0.advanced(by: .seconds(2)) }
        #expect(beacon.stalledFor(limit: .seconds(1)) != nil)
        beacon.leave()
        #expect(beacon.stalledFor(limit: .seconds(1)) == nil)
    }
}
