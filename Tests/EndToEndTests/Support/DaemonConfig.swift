import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import VoiceCallAPI

/// The `callspool.toml` of an end-to-end run: the simulator's URL and
/// credentials, a spool and store under `directory`, callbacks on loopback,
/// an always-open calling window, and the scenario's `[limits]`/`[backoff]`.
struct DaemonConfig: Sendable {
    /// `[limits]` keys → TOML values, over ``defaultLimits``.
    var limits: [String: String] = [:]
    /// `[backoff]` keys → TOML values.
    var backoff: [String: String] = [:]
    /// `[store]` keys besides `path` → TOML values.
    var store: [String: String] = [:]
    var displayNumbers = ["+8675528000088", "+8675528000089"]
    /// `[platform] timeout`.
    var platformTimeout = "5s"
    /// Extra `[callbacks]` keys → TOML values (`max_connections`, `read_timeout`, …).
    var callbacks: [String: String] = [:]
    /// `[apps.NAME]` sections; when set, `[platform]` has no credentials.
    var apps: [App] = []
    /// `[instance] name` (several instances on one PostgreSQL store).
    var instance: String?
    /// The port of `status_url`/`fee_url` when pushes go to another
    /// instance's receiver (as through a load balancer); nil: its own.
    var callbackURLPort: Int?
    /// `[results] dir` (nil: no results files).
    var resultsDir: String?
    /// `[guard]` keys → TOML values. The scenarios send many login codes to
    /// neighbouring numbers, so the verification-code limits are off unless
    /// a test sets them (the guard's own tests do).
    var guardRules: [String: String] = ["verify_per_callee": "\"off\"", "verify_per_prefix": "\"off\""]
    /// More TOML appended as is (`[api]` and its clients, …).
    var extra = ""

    struct App: Sendable {
        var name: String
        var appKey: String
        var appSecret: String
        var types: [String]
        var displayNumbers: [String]
        var maxConcurrentCalls: Int

        var toml: String {
            """
            [apps.\(name)]
            app_key = "\(appKey)"
            app_secret = "\(appSecret)"
            types = [\(types.map { "\"\($0)\"" }.joined(separator: ", "))]
            display_numbers = [\(displayNumbers.map { "\"\($0)\"" }.joined(separator: ", "))]
            max_concurrent_calls = \(maxConcurrentCalls)
            """
        }
    }

    static let defaultLimits = [
        "max_concurrent_calls": "8", "verify_reserved_ports": "1", "requests_per_second": "500",
        "per_display_number_per_minute": "100000",
    ]

    func toml(directory: String, platformPort: Int, callbackPort: Int, credentials: AppCredentials) -> String {
        func section(_ values: [String: String]) -> String {
            values.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
        }
        let numbers = displayNumbers.map { "\"\($0)\"" }.joined(separator: ", ")
        let urlPort = callbackURLPort ?? callbackPort
        let platformCredentials = apps.isEmpty ? "app_key = \"\(credentials.appKey)\"\napp_secret = \"\(credentials.appSecret)\"" : ""
        return """
        [platform]
        base_url = "http://127.0.0.1:\(platformPort)"
        \(platformCredentials)
        timeout = "\(platformTimeout)"
        \(apps.map(\.toml).joined(separator: "\n"))
        [spool]
        dir = "\(directory)/spool"
        [store]
        path = "\(directory)/store.sqlite"
        \(section(store))
        [callbacks]
        listen = "127.0.0.1:\(callbackPort)"
        status_url = "http://127.0.0.1:\(urlPort)/cb/status"
        fee_url = "http://127.0.0.1:\(urlPort)/cb/fee"
        \(section(callbacks))
        [limits]
        \(section(Self.defaultLimits.merging(limits) { $1 }))
        [backoff]
        \(section(backoff))
        [defaults]
        display_numbers = [\(numbers)]
        window = { start = "00:00", end = "24:00", tz = "Asia/Shanghai" }
        [metrics]
        listen = "127.0.0.1:0"
        [guard]
        \(section(guardRules))
        \(resultsDir.map { "[results]\ndir = \"\($0)\"" } ?? "")
        \(instance.map { "[instance]\nname = \"\($0)\"" } ?? "")
        \(extra)
        """
    }
}

/// A fresh temporary directory, removed by `remove()`.
struct ScratchDirectory: Sendable {
    let path: String

    init(_ label: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `lines` as a `.jsonl` file here and drops it into the spool
    /// the way `callspool submit` does.
    func submit(_ lines: [String], spool: String, name: String = "jobs") throws {
        try submit(contents: lines.joined(separator: "\n"), fileName: "\(name)-\(UUID().uuidString.prefix(8)).jsonl", spool: spool)
    }

    /// Writes `contents` as `fileName` here and drops it into the spool.
    func submit(contents: String, fileName: String, spool: String) throws {
        let file = path + "/" + fileName
        try Data(contents.utf8).write(to: URL(fileURLWithPath: file))
        let layout = SpoolLayout(root: spool)
        try layout.ensureExists()
        guard case .submitted = try SpoolSubmitter(layout: layout).submit(path: file) else {
            throw SubmitRefused(file: file)
        }
    }

    struct SubmitRefused: Error, CustomStringConvertible {
        var file: String
        var description: String { "callspool submit refused \(file)" }
    }
}
