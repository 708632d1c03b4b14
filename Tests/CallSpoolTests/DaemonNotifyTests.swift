@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// `callspool run` under a fake systemd: the daemon's services with
/// `$NOTIFY_SOCKET` pointing at a datagram socket the test owns.
@Suite struct DaemonNotifyTests {
    static func toml(dir: String, ports: Int) -> String {
        """
        [platform]
        base_url = "http://127.0.0.1:9"
        app_key = "key"
        app_secret = "secret"
        [spool]
        dir = "\(dir)/spool"
        [store]
        path = "\(dir)/store.sqlite"
        [callbacks]
        listen = "127.0.0.1:0"
        status_url = "http://127.0.0.1:8080/cb/status"
        fee_url = "http://127.0.0.1:8080/cb/fee"
        [limits]
        max_concurrent_calls = \(ports)
        verify_reserved_ports = 1
        [metrics]
        listen = "127.0.0.1:0"
        """
    }

    @Test func readyStatusReloadAndStopping() async throws {
        let temp = try TemporaryDirectory()
        let listener = try NotifySocketListener()
        let file = try temp.write("callspool.toml", Self.toml(dir: temp.path, ports: 10))
        let configuration = try ConfigurationLoader(environment: [:]).load(path: file, purpose: .daemon)
        var logger = Logger(label: "daemon-notify")
        logger.logLevel = .warning
        let parts = try CallspoolDaemon.makeParts(
            configuration: configuration, logger: logger, environment: ["NOTIFY_SOCKET": listener.address])
        try SpoolLayout(root: configuration.spool.dir).ensureExists()
        let daemon = CallspoolDaemon.makeServiceGroup(parts: parts, logger: logger)
        let task = Task { try await daemon.run() }

        let ready = await listener.messages(until: "READY=1", timeout: .seconds(90))
        // Without READY the SIGHUP handler may not be installed yet, and the
        // signal's default action would end the whole test process.
        try #require(ready.last?.contains("READY=1") == true, "\(ready)")
        #expect(ready.last?.contains("STATUS=queued 0, in call 0, ports 0/") == true, "\(ready)")
        #expect(parts.readiness.isReady)

        // systemctl reload: limits apply, the [callbacks] change is refused.
        try temp.write("callspool.toml", Self.toml(dir: temp.path, ports: 5).replacingOccurrences(of: "/cb/fee", with: "/cb/fee2"))
        kill(getpid(), SIGHUP)
        let reloading = await listener.messages(until: "RELOADING=1")
        #expect(reloading.last?.contains("MONOTONIC_USEC=") == true, "\(reloading)")
        let reloaded = await listener.messages(until: "READY=1")
        #expect(reloaded.last == "READY=1", "\(reloaded)")
        #expect(await parts.scheduler.portFigures.configured == 5)
        #expect(await parts.reload.reloader.current.callbacks.feeURL.path == "/cb/fee")

        await daemon.triggerGracefulShutdown()
        let stopping = await listener.messages(until: "STOPPING=1")
        #expect(stopping.last?.hasPrefix("STOPPING=1") == true, "\(stopping)")
        try await task.value
    }
}
