import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// The `callspool.toml` the demo writes: the platform is the simulator, every
/// listener is on a free loopback port, the calling window is the whole day
/// and the backoffs are short, so a few hundred calls finish within a minute.
/// The app secret goes to a file of mode 0600 beside it, as in production.
public struct DemoConfiguration: Sendable {
    public var directory: String
    public var platform: DemoPlatform
    public var callbackPort: Int
    public var metricsPort: Int
    /// Above the simulator's ports on purpose: the daemon then meets the
    /// platform's 1020154 and shows how it throttles itself.
    public var maxConcurrentCalls: Int

    public init(directory: String, platform: DemoPlatform, callbackPort: Int, metricsPort: Int, maxConcurrentCalls: Int = 24) {
        self.directory = directory
        self.platform = platform
        self.callbackPort = callbackPort
        self.metricsPort = metricsPort
        self.maxConcurrentCalls = maxConcurrentCalls
    }

    public var configPath: String { directory + "/callspool.toml" }
    public var secretPath: String { directory + "/app_secret" }
    public var spoolDirectory: String { directory + "/spool" }
    public var storePath: String { directory + "/callspool.sqlite" }
    public var metricsURL: String { "http://127.0.0.1:\(metricsPort)/metrics" }

    /// The configuration text.
    public var toml: String {
        let callbacks = "http://127.0.0.1:\(callbackPort)/callspool"
        let numbers = platform.displayNumbers.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            # Written by `callspool demo`: the platform is the in-process simulator.
            [platform]
            base_url = "\(platform.baseURL)"
            app_key = "\(platform.appKey)"
            app_secret_file = "\(secretPath)"
            created_clock = "auto"
            timeout = "5s"

            [spool]
            dir = "\(spoolDirectory)"
            settle = "0s"  # files arrive by rename, complete
            rescan = "2s"

            [store]
            path = "\(storePath)"

            [callbacks]
            listen = "127.0.0.1:\(callbackPort)"
            status_url = "\(callbacks)/status"
            fee_url = "\(callbacks)/fee"
            verify_signatures = true

            [limits]
            max_concurrent_calls = \(maxConcurrentCalls)
            requests_per_second = 50
            per_display_number_per_minute = 1000
            per_callee_max = 10
            per_callee_window = "24h"
            verify_reserved_ports = "auto"
            call_lease = "2m"

            [backoff]
            ports = "2s"
            flow = "5s"
            callee = "30s"
            halt = "10s"

            [defaults]
            display_numbers = [\(numbers)]
            window = { start = "00:00", end = "24:00", tz = "Asia/Shanghai" }

            [metrics]
            listen = "127.0.0.1:\(metricsPort)"

            """
    }

    /// Writes the configuration and the secret file (mode 0600).
    public func write() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(toml.utf8).write(to: URL(fileURLWithPath: configPath), options: .atomic)
        _ = FileManager.default.createFile(atPath: secretPath, contents: Data(platform.appSecret.utf8), attributes: [.posixPermissions: 0o600])
        guard chmod(secretPath, 0o600) == 0 else { throw POSIXError.current("chmod \(secretPath)") }
    }
}
