import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import TOMLKit
import VoiceCallAPI

/// Reads and checks `callspool.toml` (systemd/callspool.toml.example).
///
/// Every key has a default except the platform credentials and callback URLs.
/// A wrong section, key, type or value throws ``ConfigurationError`` naming it.
/// The app secret is looked up, in order, in `$CREDENTIALS_DIRECTORY/app_secret`
/// (systemd `LoadCredential=`), `app_secret_file`, `$CALLSPOOL_APP_SECRET`, then
/// `app_secret`; a secret file readable by others is refused.
public struct ConfigurationLoader: Sendable {
    /// What the caller needs: the daemon needs everything, the CLI only paths.
    public enum Purpose: Sendable {
        case daemon
        case cli
    }

    public static let sections: Set<String> = ["platform", "apps", "spool", "store", "instance", "callbacks", "limits", "backoff", "defaults", "results", "metrics", "guard", "billing", "api", "webhooks"]

    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func load(path: String, purpose: Purpose) throws(ConfigurationError) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, key: nil, message: "cannot read the configuration (\((error as NSError).localizedDescription)); pass --config PATH or set CALLSPOOL_CONFIG")
        }
        return try parse(text, file: path, purpose: purpose)
    }

    public func parse(_ text: String, file: String, purpose: Purpose) throws(ConfigurationError) -> Configuration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(file: file, key: nil, message: "not valid TOML at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw ConfigurationError(file: file, key: nil, message: "not valid TOML: \(error)")
        }
        for key in root.keys.sorted() where !Self.sections.contains(key) {
            var message = "unknown section"
            if let guess = Spelling.closest(to: key, among: Self.sections) { message += " (did you mean [\(guess)]?)" }
            throw ConfigurationError(file: file, key: key, message: message)
        }
        let hasApps = root["apps"] != nil
        let (platform, legacyCredentials) = try readPlatform(root, file: file, purpose: purpose, hasApps: hasApps)
        let spool = try readSpool(root, file: file)
        var storeSection = try TOMLSection("store", in: root, file: file)
        var store = Configuration.Store(
            path: try storeSection.string("path", default: "/var/lib/callspool/callspool.sqlite"),
            minFreeBytes: try storeSection.byteSize("min_free", default: "64MiB", range: 0...(1 << 50)))
        store.url = try storeSection.string("url")
        let passwordFile = try storeSection.string("password_file")
        store.lease = try storeSection.duration("lease", default: "10s", min: .seconds(2), max: .seconds(600))
        try storeSection.finish()
        if let url = store.url {
            do {
                _ = try PostgresStore.Settings(url: url, instance: "check")
            } catch {
                throw storeSection.error("url", error.description)
            }
            store.password = try loadStorePassword(file: passwordFile, config: file)
        } else if passwordFile != nil {
            throw storeSection.error("password_file", "is for a PostgreSQL store: set url too, or remove it")
        }
        var instanceSection = try TOMLSection("instance", in: root, file: file)
        let instanceName = try instanceSection.string("name", default: "")
        try instanceSection.finish()
        guard instanceName.count <= 64, !instanceName.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw instanceSection.error("name", "must be at most 64 characters without spaces, got \"\(instanceName)\"")
        }
        let callbacks = try readCallbacks(root, file: file)
        let limits = try readLimits(root, file: file)
        let backoff = try readBackoff(root, file: file)
        let defaults = try readDefaults(root, file: file)
        let applications: [Configuration.Application]
        if let legacyCredentials {
            applications = [Configuration.Application(
                name: Configuration.Application.legacyName, appKey: legacyCredentials.appKey, appSecret: legacyCredentials.appSecret,
                types: Set(JobType.allCases), displayNumbers: defaults.displayNumbers, maxConcurrentCalls: limits.maxConcurrentCalls,
                baseURL: platform.baseURL, auth: platform.auth, createdClock: platform.createdClock, timeout: platform.timeout)]
        } else {
            applications = try readApplications(root, file: file, purpose: purpose, platform: platform, limits: limits, defaults: defaults)
        }
        var resultsSection = try TOMLSection("results", in: root, file: file)
        let resultsDir = try resultsSection.string("dir", default: "")
        try resultsSection.finish()
        var metricsSection = try TOMLSection("metrics", in: root, file: file)
        let metricsText = try metricsSection.string("listen", default: "127.0.0.1:9464")
        guard let metricsListen = ListenAddress.parse(metricsText) else {
            throw metricsSection.error("listen", "must be host:port, got \"\(metricsText)\"")
        }
        try metricsSection.finish()
        var configuration = Configuration(
            platform: platform, applications: applications, spool: spool, store: store, callbacks: callbacks, limits: limits, backoff: backoff,
            defaults: defaults, results: .init(dir: resultsDir.isEmpty ? nil : resultsDir), metrics: .init(listen: metricsListen),
            source: file, instanceName: instanceName.isEmpty ? ProcessInfo.processInfo.hostName : instanceName)
        configuration.callGuard = try readGuard(root, file: file)
        configuration.billing = try readBilling(root, file: file)
        configuration.api = try readAPI(root, file: file, purpose: purpose)
        configuration.webhooks = try readWebhooks(root, file: file, purpose: purpose)
        return configuration
    }

    /// The PostgreSQL store's password: the systemd credential
    /// `store_password`, `[store] password_file`, then
    /// `$CALLSPOOL_STORE_PASSWORD`; nil when none is given (the server
    /// trusts the connection, or the URL carries it).
    public func loadStorePassword(file passwordFile: String?, config: String) throws(ConfigurationError) -> String? {
        if let directory = environment["CREDENTIALS_DIRECTORY"], FileManager.default.fileExists(atPath: directory + "/store_password") {
            return try readSecretFile(directory + "/store_password", key: "CREDENTIALS_DIRECTORY/store_password", config: config, checkMode: false)
        }
        if let passwordFile {
            return try readSecretFile(passwordFile, key: "store.password_file", config: config, checkMode: true)
        }
        if let value = environment["CALLSPOOL_STORE_PASSWORD"], !value.isEmpty { return value }
        return nil
    }

    /// The shared `[platform]` settings, and the credentials of the single
    /// application when there is no `[apps.*]`.
    private func readPlatform(_ root: TOMLTable, file: String, purpose: Purpose, hasApps: Bool) throws(ConfigurationError)
        -> (Configuration.Platform, (appKey: String, appSecret: String?)?)
    {
        var section = try TOMLSection("platform", in: root, file: file)
        let baseURL = try section.requiredString("base_url", hint: "the app access address, e.g. \"https://rtccall.cn-north-1.myhuaweicloud.cn:443\"")
        try Self.checkBaseURL(baseURL, section: section)
        let auth = try Self.auth(&section, default: .aksk)
        let clock = try Self.createdClock(&section, default: .auto)
        let timeout = try section.duration("timeout", default: "10s", min: .milliseconds(100), max: .seconds(120))
        let platform = Configuration.Platform(baseURL: baseURL, auth: auth, createdClock: clock, timeout: timeout)
        if hasApps {
            for key in ["app_key", "app_secret", "app_secret_file"] where try section.string(key) != nil {
                throw section.error(key, "with [apps.*] sections each application has its own credentials: move \(key) into an [apps.NAME] section")
            }
            try section.finish()
            return (platform, nil)
        }
        let appKey = try section.requiredString("app_key", hint: "the APP_Key from the application management page")
        let secretFile = try section.string("app_secret_file")
        let inlineSecret = try section.string("app_secret")
        try section.finish()
        var secret: String?
        if purpose == .daemon {
            secret = try loadSecret(file: secretFile, inline: inlineSecret, config: file)
        }
        return (platform, (appKey, secret))
    }

    static func checkBaseURL(_ baseURL: String, section: TOMLSection) throws(ConfigurationError) {
        guard baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://"), URL(string: baseURL)?.host != nil else {
            throw section.error("base_url", "must be an http(s) URL such as \"https://rtccall.cn-north-1.myhuaweicloud.cn:443\", got \"\(baseURL)\"")
        }
    }

    static func auth(_ section: inout TOMLSection, default fallback: AuthScheme) throws(ConfigurationError) -> AuthScheme {
        let authText = try section.string("auth", default: fallback.rawValue)
        guard let auth = AuthScheme(rawValue: authText) else { throw section.error("auth", "must be \"aksk\" or \"wsse\", got \"\(authText)\"") }
        return auth
    }

    static func createdClock(_ section: inout TOMLSection, default fallback: Configuration.CreatedClockSetting) throws(ConfigurationError)
        -> Configuration.CreatedClockSetting
    {
        let clockText = try section.string("created_clock", default: fallback.rawValue)
        guard let clock = Configuration.CreatedClockSetting(rawValue: clockText) else {
            throw section.error("created_clock", "must be \"utc+8\", \"utc\" or \"auto\", got \"\(clockText)\"")
        }
        return clock
    }

    /// The app secret of the single `[platform]` application, or of
    /// `[apps.<app>]` when `app` is given: the systemd credential
    /// (`app_secret` / `app_secret_<app>`), the file, the environment variable
    /// (`CALLSPOOL_APP_SECRET` / `CALLSPOOL_APP_SECRET_<APP>`), then the inline value.
    func loadSecret(file secretFile: String?, inline: String?, config: String, app: String? = nil) throws(ConfigurationError) -> String {
        let (credential, variable, section) = Self.secretSources(app: app)
        if let directory = environment["CREDENTIALS_DIRECTORY"], FileManager.default.fileExists(atPath: directory + "/" + credential) {
            return try readSecretFile(directory + "/" + credential, key: "CREDENTIALS_DIRECTORY/\(credential)", config: config, checkMode: false)
        }
        if let secretFile {
            return try readSecretFile(secretFile, key: "\(section).app_secret_file", config: config, checkMode: true)
        }
        if let value = environment[variable], !value.isEmpty { return value }
        if let inline, !inline.isEmpty { return inline }
        throw ConfigurationError(file: config, key: "\(section).app_secret_file", message: "no app secret: set app_secret_file (recommended), $\(variable) or app_secret")
    }

    /// Where the secret of the `[platform]` application (`app` nil) or of
    /// `[apps.<app>]` is looked for: the systemd credential name, the
    /// environment variable, and the section holding `app_secret_file`.
    public static func secretSources(app: String?) -> (credential: String, variable: String, section: String) {
        guard let app else { return ("app_secret", "CALLSPOOL_APP_SECRET", "platform") }
        return ("app_secret_\(app)", "CALLSPOOL_APP_SECRET_" + app.uppercased().replacingOccurrences(of: "-", with: "_"), "apps.\(app)")
    }

    func readSecretFile(_ path: String, key: String, config: String, checkMode: Bool) throws(ConfigurationError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ConfigurationError(file: config, key: key, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if checkMode, info.st_mode & 0o007 != 0 {
            throw ConfigurationError(file: config, key: key, message: "\(path) is readable by other users (mode \(String(info.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: config, key: key, message: "cannot read \(path) as UTF-8 text")
        }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { throw ConfigurationError(file: config, key: key, message: "\(path) is empty") }
        return secret
    }

    private func readSpool(_ root: TOMLTable, file: String) throws(ConfigurationError) -> Configuration.Spool {
        var section = try TOMLSection("spool", in: root, file: file)
        let dir = try section.string("dir", default: "/var/spool/callspool")
        let settle = try section.duration("settle", default: "2s", min: .zero, max: .seconds(3600))
        let maxBytes = try section.int("max_file_bytes", default: 256 << 20, range: 1024...(64 << 30))
        let rescan = try section.duration("rescan", default: "10s", min: .milliseconds(100), max: .seconds(3600))
        try section.finish()
        guard dir.hasPrefix("/") else { throw section.error("dir", "must be an absolute path, got \"\(dir)\"") }
        return .init(dir: dir, settle: settle, maxFileBytes: Int64(maxBytes), rescan: rescan)
    }

    private func readCallbacks(_ root: TOMLTable, file: String) throws(ConfigurationError) -> Configuration.Callbacks {
        var section = try TOMLSection("callbacks", in: root, file: file)
        let listenText = try section.string("listen", default: "0.0.0.0:8080")
        guard let listen = ListenAddress.parse(listenText) else { throw section.error("listen", "must be host:port, got \"\(listenText)\"") }
        let status = try section.requiredString("status_url", hint: "the public URL the platform posts status events to")
        let fee = try section.requiredString("fee_url", hint: "the public URL the platform posts fee CDRs to")
        let verify = try section.bool("verify_signatures", default: true)
        let maxConnections = try section.int("max_connections", default: 512, range: 1...1_000_000)
        let readTimeout = try section.duration("read_timeout", default: "10s", min: .milliseconds(100), max: .seconds(600))
        try section.finish()
        let statusURL: CallbackURL
        let feeURL: CallbackURL
        do {
            statusURL = try CallbackURL(status, field: "status_url")
            feeURL = try CallbackURL(fee, field: "fee_url")
        } catch {
            let issue = error.issues.first
            throw section.error(issue?.field ?? "status_url", issue?.rule ?? "invalid URL")
        }
        if let overlap = Self.prefixOverlap(statusURL, feeURL) {
            throw section.error("status_url", overlap)
        }
        return .init(
            listen: listen, statusURL: statusURL, feeURL: feeURL, verifySignatures: verify, maxConnections: maxConnections,
            readTimeout: readTimeout)
    }

    /// Why `status` and `fee` cannot be served together, or nil.
    ///
    /// The callback digest may cover either URL, in the variant without
    /// "\n" too: when one URL (or path) is a prefix of the other, the longer
    /// one's tail can be moved into the Nonce (a header signed for `/cb/fee`
    /// with Nonce `N2` would also be a digest over `/cb` with Nonce `/feeN2`).
    /// The nonce format refuses the `/` of that example, not a tail such as
    /// `-fee`; refusing the configuration closes the forgery whatever the
    /// tail. The same URL (or path) for both is fine: nothing to shift.
    static func prefixOverlap(_ status: CallbackURL, _ fee: CallbackURL) -> String? {
        func strictPrefix(_ a: String, _ b: String) -> Bool { a != b && (a.hasPrefix(b) || b.hasPrefix(a)) }
        guard strictPrefix(status.path, fee.path) || strictPrefix(status.string, fee.string) else { return nil }
        return "callbacks.status_url (path \(status.path)) and callbacks.fee_url (path \(fee.path)) must not be prefixes of one another: "
            + "a signature for the longer one could be replayed as one for the shorter; use sibling paths such as /callspool/status and /callspool/fee"
    }

    func readLimits(_ root: TOMLTable, file: String) throws(ConfigurationError) -> Configuration.Limits {
        var section = try TOMLSection("limits", in: root, file: file)
        let ports = try section.int("max_concurrent_calls", default: 10, range: 1...10_000)
        let limits = Configuration.Limits(
            maxConcurrentCalls: ports,
            requestsPerSecond: try section.int("requests_per_second", default: 20, range: 1...100_000),
            perDisplayNumberPerMinute: try section.int("per_display_number_per_minute", default: 60, range: 1...100_000),
            perCalleeMax: try section.int("per_callee_max", default: 3, range: 1...1000),
            perCalleeWindow: try section.duration("per_callee_window", default: "24h", min: .seconds(1), max: .seconds(30 * 86_400)),
            verifyReservedPorts: try section.intOrWord("verify_reserved_ports", word: "auto", default: nil, range: 0...10_000) ?? 0,
            callLease: try section.duration("call_lease", default: "10m", min: .seconds(10), max: .seconds(86_400)),
            // Not below 6 h: the platform re-pushes a CDR for 6 hours, so a
            // shorter wait could requeue a call that did happen.
            unknownRequeueAfter: try section.durationOrOff(
                "unknown_requeue_after", default: "7h", min: .seconds(6 * 3600), max: .seconds(30 * 86_400)),
            verifyReserveAuto: try section.isWord("verify_reserved_ports", "auto", default: true),
            verifyDemandWindow: try section.duration("verify_demand_window", default: "1h", min: .seconds(60), max: .seconds(7 * 86_400)),
            verifyReservedMax: try section.int("verify_reserved_max", default: 0, range: 0...10_000))
        try section.finish()
        guard limits.verifyReserveAuto || limits.verifyReservedPorts < ports else {
            throw section.error("verify_reserved_ports", "must be below max_concurrent_calls (\(ports)), or notify jobs could never be sent")
        }
        return limits
    }

    func readBackoff(_ root: TOMLTable, file: String) throws(ConfigurationError) -> Configuration.Backoff {
        var section = try TOMLSection("backoff", in: root, file: file)
        let backoff = Configuration.Backoff(
            ports: try section.duration("ports", default: "60s", min: .seconds(1), max: .seconds(86_400)),
            flow: try section.duration("flow", default: "60s", min: .seconds(1), max: .seconds(86_400)),
            callee: try section.duration("callee", default: "1h", min: .seconds(1), max: .seconds(7 * 86_400)),
            halt: try section.duration("halt", default: "5m", min: .seconds(1), max: .seconds(86_400)),
            quota: try section.duration("quota", default: "1h", min: .seconds(1), max: .seconds(7 * 86_400)))
        try section.finish()
        return backoff
    }

    func readDefaults(_ root: TOMLTable, file: String) throws(ConfigurationError) -> Configuration.Defaults {
        var section = try TOMLSection("defaults", in: root, file: file)
        let numbers = try section.stringList("display_numbers")
        for (index, number) in numbers.enumerated() {
            if let issue = FieldRules.phone(number, field: "display_numbers[\(index)]") { throw section.error(issue.field, issue.rule) }
        }
        let verifyTTL = try section.duration("verify_ttl", default: "5m", min: .seconds(1), max: .seconds(30 * 86_400))
        let notifyTTL = try section.duration("notify_ttl", default: "24h", min: .seconds(1), max: .seconds(30 * 86_400))
        var window = CallingWindow(startMinute: 8 * 60, endMinute: 21 * 60, timeZone: "Asia/Shanghai")
        if let word = section.stringIfString("window") {
            guard word == "always" else {
                throw section.error("window", "must be \"always\" or a table such as { start = \"08:00\", end = \"21:00\", tz = \"Asia/Shanghai\" }")
            }
            window = .always
        } else if let table = try section.subtable("window") {
            var draft = [String: String]()
            for key in table.keys {
                guard ["start", "end", "tz"].contains(key) else { throw section.error("window.\(key)", "unknown key (use start, end, tz)") }
                guard let text = table[key]?.string else { throw section.error("window.\(key)", "must be a string") }
                draft[key] = text
            }
            guard let start = draft["start"].flatMap(CallingWindow.minutes) else { throw section.error("window.start", "must be \"HH:MM\"") }
            guard let end = draft["end"].flatMap(CallingWindow.minutes) else { throw section.error("window.end", "must be \"HH:MM\"") }
            guard start != end else { throw section.error("window.end", "must differ from window.start") }
            let tz = draft["tz"] ?? "Asia/Shanghai"
            guard TimeZone(identifier: tz) != nil else { throw section.error("window.tz", "'\(tz)' is not a known time zone") }
            window = CallingWindow(startMinute: start, endMinute: end, timeZone: tz)
        }
        try section.finish()
        return .init(displayNumbers: numbers, verifyTTL: verifyTTL, notifyTTL: notifyTTL, window: window)
    }
}
