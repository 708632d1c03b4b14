@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

@Suite struct ConfigurationTests {
    static let minimal = """
    [platform]
    base_url = "https://rtccall.cn-north-1.myhuaweicloud.cn:443"
    app_key = "key"
    app_secret = "secret"
    [callbacks]
    status_url = "https://voice-cb.example.com/callspool/status"
    fee_url = "https://voice-cb.example.com/callspool/fee"
    """

    func load(_ text: String, purpose: ConfigurationLoader.Purpose = .daemon, environment: [String: String] = [:]) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader(environment: environment).parse(text, file: "test.toml", purpose: purpose)
    }

    @Test func defaultsFillEverythingElse() throws {
        let config = try load(Self.minimal)
        #expect(config.applications[0].appSecret == "secret")
        #expect(config.platform.createdClock == .auto)
        #expect(config.spool.dir == "/var/spool/callspool")
        #expect(config.spool.settle == .seconds(2))
        #expect(config.store.path == "/var/lib/callspool/callspool.sqlite")
        #expect(config.callbacks.listen == ListenAddress(host: "0.0.0.0", port: 8080))
        #expect(config.callbacks.statusURL.path == "/callspool/status")
        #expect(config.limits.maxConcurrentCalls == 10)
        #expect(config.limits.perCalleeWindow == .seconds(86_400))
        #expect(config.backoff.halt == .seconds(300))
        #expect(config.defaults.window == CallingWindow(startMinute: 480, endMinute: 1260, timeZone: "Asia/Shanghai"))
        #expect(config.results.dir == nil)
        #expect(config.metrics.listen == ListenAddress(host: "127.0.0.1", port: 9464))
    }

    @Test(arguments: [
        ("[platform]\nbase_url = 1", "platform.base_url"),
        ("[limits]\nmax_concurent_calls = 5", "limits.max_concurent_calls"),
        ("[limits]\nmax_concurrent_calls = \"ten\"", "limits.max_concurrent_calls"),
        ("[limits]\nmax_concurrent_calls = 0", "limits.max_concurrent_calls"),
        ("[limits]\nmax_concurrent_calls = 2\nverify_reserved_ports = 2", "limits.verify_reserved_ports"),
        ("[backoff]\nports = \"sixty\"", "backoff.ports"),
        ("[spool]\ndir = \"relative/path\"", "spool.dir"),
        ("[defaults]\ndisplay_numbers = [\"075528000088\"]", "defaults.display_numbers[0]"),
        ("[defaults]\nwindow = { start = \"8am\", end = \"21:00\" }", "defaults.window.start"),
        ("[defaults]\nwindow = \"never\"", "defaults.window"),
        ("[defaults]\nwindow = 24", "defaults.window"),
        ("[callback]\nlisten = \"x\"", "callback"),
        ("[platform]\ncreated_clock = \"local\"", "platform.created_clock"),
    ])
    func mistakesNameTheKey(extra: String, key: String) {
        // Replace the section's defaults by appending or overriding keys.
        let text = Self.merge(Self.minimal, extra)
        #expect {
            _ = try load(text)
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    /// Alerting and on-call calls need any hour: `window = "always"`.
    @Test func aDefaultWindowOfAlwaysIsAnyHour() throws {
        let config = try load(Self.merge(Self.minimal, "[defaults]\nwindow = \"always\""))
        #expect(config.defaults.window == .always)
        #expect(config.defaults.window.isAlways)
        let threeAM = try #require(Timestamp.parse("2026-12-04T03:00:00+08:00"))
        #expect(config.defaults.window.contains(threeAM))
        #expect(config.defaults.window.contains(threeAM.addingTimeInterval(-3 * 3600 - 1)))
    }

    @Test func callbackURLThePlatformWouldRefuseStopsStartUp() {
        let text = Self.minimal.replacingOccurrences(of: "https://voice-cb.example.com/callspool/status", with: "https://voice-cb.example.com/cb?token=1")
        #expect {
            _ = try load(text)
        } throws: { error in
            let config = error as? ConfigurationError
            return config?.key == "callbacks.status_url" && config?.message.contains("'?'") == true
        }
    }

    @Test func missingCredentialsAreNamed() {
        let text = Self.minimal.replacingOccurrences(of: "app_secret = \"secret\"\n", with: "")
        #expect {
            _ = try load(text)
        } throws: { error in
            (error as? ConfigurationError)?.key == "platform.app_secret_file"
        }
        #expect((try? load(text, purpose: .cli)) != nil)
        #expect((try? load(text, environment: ["CALLSPOOL_APP_SECRET": "from-env"]))?.applications[0].appSecret == "from-env")
    }

    @Test func worldReadableSecretFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        let secret = try dir.write("app_secret", "s3cret\n")
        let text = Self.minimal.replacingOccurrences(of: "app_secret = \"secret\"", with: "app_secret_file = \"\(secret)\"")
        #expect(chmod(secret, 0o644) == 0)
        #expect {
            _ = try load(text)
        } throws: { error in
            (error as? ConfigurationError)?.message.contains("chmod 600") == true
        }
        #expect(chmod(secret, 0o600) == 0)
        #expect(try load(text).applications[0].appSecret == "s3cret")
    }

    @Test func systemdCredentialWins() throws {
        let dir = try TemporaryDirectory()
        try dir.write("app_secret", "from-systemd")
        let config = try load(Self.minimal, environment: ["CREDENTIALS_DIRECTORY": dir.path])
        #expect(config.applications[0].appSecret == "from-systemd")
    }

    @Test func invalidTOMLSaysWhere() {
        #expect {
            _ = try load("[platform\nbase_url = ")
        } throws: { error in
            (error as? ConfigurationError)?.message.contains("line") == true
        }
    }

    /// Adds `extra`'s keys to the minimal config (a section already present gets the keys appended).
    static func merge(_ base: String, _ extra: String) -> String {
        let lines = extra.split(separator: "\n", maxSplits: 1).map(String.init)
        guard let header = lines.first, lines.count == 2, base.contains(header + "\n") else { return base + "\n" + extra }
        var text = base.replacingOccurrences(of: header + "\n", with: header + "\n" + lines[1] + "\n")
        // A key given twice is a TOML error of its own; drop the base's copy.
        let key = lines[1].split(separator: "=").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if let range = text.range(of: "\n\(key) = ", options: .backwards), text.components(separatedBy: "\n\(key) = ").count > 2 {
            let lineEnd = text[range.upperBound...].firstIndex(of: "\n") ?? text.endIndex
            text.removeSubrange(range.lowerBound..<lineEnd)
        }
        return text
    }
}
