@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import Testing

@Suite struct SystemdNotifyTests {
    @Test func sendsOneDatagramToAPathSocket() async throws {
        let listener = try NotifySocketListener()
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address]))
        try notifier.send("READY=1\nSTATUS=hello")
        #expect(listener.receive() == "READY=1\nSTATUS=hello")
    }

    @Test func sendsToAnAbstractNamespaceSocket() throws {
        let listener = try NotifySocketListener(abstract: true)
        #expect(listener.address.hasPrefix("@"))
        try SystemdNotifier(socketPath: listener.address).send("WATCHDOG=1")
        #expect(listener.receive() == "WATCHDOG=1")
    }

    @Test func noNotifierWithoutASocket() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/path"]) == nil)
    }

    @Test func sendingToAMissingSocketIsAnError() throws {
        let temp = try TemporaryDirectory()
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier(socketPath: temp.path + "/absent.sock").send("READY=1") }
    }

    @Test func watchdogPingsAtHalfTheTimeoutForThisProcessOnly() {
        #expect(WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "30000000"], pid: 42) == .seconds(15))
        #expect(WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"], pid: 42) == .seconds(15))
        #expect(WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"], pid: 42) == nil)
        #expect(WatchdogSettings.pingInterval(environment: [:], pid: 42) == nil)
        #expect(WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "0"], pid: 42) == nil)
    }

    @Test func statusLineShowsQueuePortsPausesAndHalt() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        counts[.queued] = 12
        counts[.inCall] = 3
        let pause = PauseRecord(scope: "global", reason: "flow control", code: "1020155", until: now.addingTimeInterval(42), createdAt: now)
        let expired = PauseRecord(scope: "campaign:old", reason: "x", code: nil, until: now.addingTimeInterval(-1), createdAt: now)
        #expect(DaemonStatusLine.make(counts: counts, ports: (3, 10, 10), pauses: [], halt: nil, now: now) == "queued 12, in call 3, ports 3/10")
        #expect(DaemonStatusLine.make(counts: counts, ports: (3, 4, 10), pauses: [expired, pause], halt: nil, now: now)
            == "queued 12, in call 3, ports 3/4 (of 10), paused global: flow control (42s left)")
        let halt = HaltRecord(app: "default", code: "1010002", reason: "account suspended", since: now, probeAt: now)
        #expect(DaemonStatusLine.make(counts: counts, ports: (0, 10, 10), pauses: [], halt: halt, now: now).hasSuffix("HALTED 1010002: account suspended"))
    }

    @Test func readinessWaitsForEveryPart() {
        let readiness = ReadinessSignal(waitingFor: ["a", "b"])
        readiness.markReady("a")
        readiness.markReady("a")
        #expect(!readiness.isReady)
        readiness.markReady("b")
        #expect(readiness.isReady)
    }

    @Test func serviceSendsReadyStatusWatchdogThenStopping() async throws {
        let listener = try NotifySocketListener()
        let readiness = ReadinessSignal(waitingFor: ["test"])
        let service = SystemdNotifyService(
            notifier: SystemdNotifier(socketPath: listener.address), readiness: readiness, statusInterval: .milliseconds(100),
            watchdogInterval: .milliseconds(50), logger: Logger(label: "test")
        ) { "queued 1" }
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        let task = Task { try await group.run() }
        // Before readiness: watchdog pings only.
        let early = await listener.messages(until: "WATCHDOG=1")
        #expect(early.last == "WATCHDOG=1")
        readiness.markReady("test")
        let untilReady = await listener.messages(until: "READY=1")
        #expect(untilReady.last?.contains("STATUS=queued 1") == true)
        let again = await listener.messages(until: "STATUS=")
        #expect(again.last?.contains("STATUS=queued 1") == true)
        await group.triggerGracefulShutdown()
        let stopping = await listener.messages(until: "STOPPING=1")
        #expect(stopping.last?.hasPrefix("STOPPING=1") == true)
        try await task.value
    }
}
