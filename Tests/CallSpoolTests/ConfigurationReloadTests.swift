@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Synchronization
import Testing

@Suite struct ConfigurationReloadTests {
    static func config(_ extra: String = "") throws -> Configuration {
        try ConfigurationLoader(environment: [:]).parse(ConfigurationTests.minimal + "\n" + extra, file: "test.toml", purpose: .daemon)
    }

    @Test func nothingChanged() throws {
        let changes = ConfigurationChanges(from: try Self.config(), to: try Self.config())
        #expect(changes == ConfigurationChanges(applied: [], refused: []))
    }

    @Test func reloadableSectionsAreApplied() throws {
        let new = try Self.config("[limits]\nmax_concurrent_calls = 5\n[backoff]\nhalt = \"10m\"\n[defaults]\ndisplay_numbers = [\"+8675528000088\"]")
        let changes = ConfigurationChanges(from: try Self.config(), to: new)
        #expect(changes == ConfigurationChanges(applied: ["limits", "backoff", "defaults"], refused: []))
    }

    @Test func otherSectionsAreRefused() throws {
        let new = try Self.config("[limits]\nrequests_per_second = 5\n[spool]\nsettle = \"5s\"\n[metrics]\nlisten = \"127.0.0.1:9999\"\n[results]\ndir = \"/tmp/r\"\n[store]\npath = \"/tmp/x.sqlite\"")
        let changes = ConfigurationChanges(from: try Self.config(), to: new)
        #expect(changes.applied == ["limits"])
        #expect(changes.refused == ["spool", "store", "results", "metrics"])
        let merged = ConfigurationChanges.merged(try Self.config(), with: new)
        #expect(merged.limits.requestsPerSecond == 5)
        #expect(merged.spool.settle == .seconds(2))
        #expect(merged.store.path == "/var/lib/callspool/callspool.sqlite")
    }

    /// The single `default` application follows [limits] and [defaults] on a
    /// reload; `[apps.*]` sections need a restart.
    @Test func applicationsChangesAreRefusedButTheDefaultApplicationFollowsLimits() throws {
        let reloaded = ConfigurationChanges.merged(try Self.config(), with: try Self.config("[limits]\nmax_concurrent_calls = 5"))
        #expect(reloaded.applications[0].maxConcurrentCalls == 5)
        let apps = """
            [platform]
            base_url = "https://rtccall.cn-north-1.myhuaweicloud.cn:443"
            [apps.otp]
            app_key = "K"
            app_secret = "s"
            max_concurrent_calls = 2
            [callbacks]
            status_url = "https://voice-cb.example.com/callspool/status"
            fee_url = "https://voice-cb.example.com/callspool/fee"
            """
        let old = try ConfigurationLoader(environment: [:]).parse(apps, file: "t.toml", purpose: .daemon)
        let new = try ConfigurationLoader(environment: [:]).parse(
            apps.replacingOccurrences(of: "max_concurrent_calls = 2", with: "max_concurrent_calls = 3"), file: "t.toml", purpose: .daemon)
        #expect(ConfigurationChanges(from: old, to: new).refused == ["apps"])
        #expect(ConfigurationChanges.merged(old, with: new).applications[0].maxConcurrentCalls == 2)
    }

    @Test func platformAndCallbacksChangesAreRefused() throws {
        let text = ConfigurationTests.minimal.replacingOccurrences(of: "app_key = \"key\"", with: "app_key = \"other\"")
            .replacingOccurrences(of: "/callspool/fee", with: "/callspool/fee2")
        let new = try ConfigurationLoader(environment: [:]).parse(text, file: "test.toml", purpose: .daemon)
        #expect(ConfigurationChanges(from: try Self.config(), to: new).refused == ["platform", "callbacks"])
    }

    /// What the reloader handed to the scheduler.
    final class Applied: Sendable {
        let settings = Mutex<[SchedulerSettings]>([])
    }

    @Test func reloaderAppliesAndKeepsRefusedSections() async throws {
        let applied = Applied()
        let text = ConfigurationTests.minimal.replacingOccurrences(of: "[callbacks]", with: "[callbacks]\nlisten = \"127.0.0.1:9000\"")
            + "\n[limits]\nmax_concurrent_calls = 4\nverify_reserved_ports = 1"
        let new = try ConfigurationLoader(environment: [:]).parse(text, file: "test.toml", purpose: .daemon)
        let reloader = ConfigurationReloader(current: try Self.config(), logger: Logger(label: "test"), load: { new }) { settings in
            applied.settings.withLock { $0.append(settings) }
        }
        let outcome = await reloader.reload()
        #expect(outcome == .reloaded(ConfigurationChanges(applied: ["limits"], refused: ["callbacks"])))
        #expect(applied.settings.withLock { $0.map(\.limits.maxConcurrentCalls) } == [4])
        let current = await reloader.current
        #expect(current.limits.maxConcurrentCalls == 4)
        #expect(current.callbacks.listen == ListenAddress(host: "0.0.0.0", port: 8080))
    }

    @Test func invalidFileChangesNothing() async throws {
        let applied = Applied()
        let reloader = ConfigurationReloader(
            current: try Self.config(), logger: Logger(label: "test"),
            load: { () throws(ConfigurationError) -> Configuration in throw ConfigurationError(file: "test.toml", key: "limits.max_concurrent_calls", message: "must be at least 1") }
        ) { settings in applied.settings.withLock { $0.append(settings) } }
        guard case .failed(let message) = await reloader.reload() else {
            Issue.record("a bad file must fail the reload")
            return
        }
        #expect(message.contains("limits.max_concurrent_calls"))
        #expect(applied.settings.withLock { $0.isEmpty })
        #expect(await reloader.current.limits.maxConcurrentCalls == 10)
    }
}
