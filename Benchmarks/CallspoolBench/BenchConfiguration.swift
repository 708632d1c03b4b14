import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation

/// The daemon configuration the loopback benchmarks share: no rate, port or
/// window limit of callspool's own gets in the way of what is measured.
func benchConfiguration(platformPort: Int, callbackPort: Int, appKey: String, appSecret: String, dir: String) throws -> Configuration {
    try benchConfiguration(
        platformBaseURL: "http://127.0.0.1:\(platformPort)", callbackPort: callbackPort, appKey: appKey, appSecret: appSecret, dir: dir,
        limits: """
            max_concurrent_calls = 10000
            requests_per_second = 100000
            per_display_number_per_minute = 100000
            verify_reserved_ports = 0
            """)
}

/// A loopback daemon configuration: the platform at `platformBaseURL`,
/// callbacks on `callbackPort`, spool and store under `dir`, one display
/// number, an always-open calling window, and the given `[limits]` and
/// `[backoff]` bodies and extra `[defaults]` lines.
func benchConfiguration(
    platformBaseURL: String, callbackPort: Int, appKey: String, appSecret: String, dir: String, displayNumber: String = "+8675528000088",
    limits: String, backoff: String = "", defaults: String = "", file: String = "bench.toml"
) throws -> Configuration {
    try ConfigurationLoader(environment: [:]).parse("""
        [platform]
        base_url = "\(platformBaseURL)"
        app_key = "\(appKey)"
        app_secret = "\(appSecret)"
        [spool]
        dir = "\(dir)/spool"
        [store]
        path = "\(dir)/store.sqlite"
        \(try benchStoreURL().map { "url = \"\($0)\"" } ?? "")
        [callbacks]
        listen = "127.0.0.1:\(callbackPort)"
        status_url = "http://127.0.0.1:\(callbackPort)/cb/status"
        fee_url = "http://127.0.0.1:\(callbackPort)/cb/fee"
        [limits]
        \(limits)
        [backoff]
        \(backoff)
        [defaults]
        display_numbers = ["\(displayNumber)"]
        window = { start = "00:00", end = "24:00", tz = "Asia/Shanghai" }
        \(defaults)
        [metrics]
        listen = "127.0.0.1:0"
        [guard]
        # Benchmarks send login codes to neighbouring numbers as fast as
        # they can: the guard's limits would measure the guard.
        verify_per_callee = "off"
        verify_per_prefix = "off"
        """, file: file, purpose: .daemon)
}

/// With `$CALLSPOOL_BENCH_POSTGRES` (a PostgreSQL server's URL, e.g.
/// `postgresql://callspool@127.0.0.1:5432/postgres`), each benchmark daemon
/// gets a new, empty database on that server: the same benchmarks measure
/// the PostgreSQL store. Unset: SQLite.
func benchStoreURL() throws -> String? {
    guard let server = ProcessInfo.processInfo.environment["CALLSPOOL_BENCH_POSTGRES"], !server.isEmpty else { return nil }
    let settings = try PostgresStore.Settings(url: server, instance: "bench")
    let name = "bench_\(UInt32.random(in: 0...UInt32.max))"
    try PostgresStore.createDatabase(name, on: settings)
    return "postgresql://\(settings.username)@\(settings.host):\(settings.port)/\(name)"
}
