@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// `[callbacks]` bounds and the prefix rule (issue 11 items 1 and 4).
@Suite struct CallbackConfigurationTests {
    static func toml(status: String = "https://cb.example.com/callspool/status", fee: String = "https://cb.example.com/callspool/fee", extra: String = "") -> String {
        """
        [platform]
        base_url = "https://rtccall.cn-north-1.myhuaweicloud.cn:443"
        app_key = "key"
        app_secret = "secret"
        [callbacks]
        status_url = "\(status)"
        fee_url = "\(fee)"
        \(extra)
        """
    }

    func load(_ text: String) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader(environment: [:]).parse(text, file: "test.toml", purpose: .daemon)
    }

    @Test func connectionBoundsDefaultAndAreRead() throws {
        let defaults = try load(Self.toml())
        #expect(defaults.callbacks.maxConnections == 512)
        #expect(defaults.callbacks.readTimeout == .seconds(10))
        let set = try load(Self.toml(extra: "max_connections = 64\nread_timeout = \"1500ms\""))
        #expect(set.callbacks.maxConnections == 64)
        #expect(set.callbacks.readTimeout == .milliseconds(1500))
        let settings = CallbackReceiver.Settings(set.callbacks)
        #expect(settings.maxConnections == 64)
        #expect(settings.readTimeout == .milliseconds(1500))
        #expect(settings.bodyTimeout == .milliseconds(1500))
    }

    @Test(arguments: [
        ("max_connections = 0", "callbacks.max_connections", "between"),
        ("max_connections = \"many\"", "callbacks.max_connections", "integer"),
        ("read_timeout = \"soon\"", "callbacks.read_timeout", "soon"),
        ("read_timeout = \"1ms\"", "callbacks.read_timeout", "between"),
    ])
    func wrongBoundStopsStartUpNamingTheKey(_ line: String, _ key: String, _ hint: String) {
        #expect {
            _ = try load(Self.toml(extra: line))
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == key && error.message.contains(hint)
        }
    }

    /// Defect (item 4): with `/cb` and `/cb/fee`, a no-newline digest signed
    /// for `/cb/fee` with Nonce `N2` is also one for `/cb` with Nonce
    /// `/feeN2`; `/cb` and `/cb-fee` the same with `-feeN2`, a well-formed
    /// nonce. Start-up refuses both, naming both keys.
    @Test(arguments: [
        ("https://cb.example.com/cb", "https://cb.example.com/cb/fee"),
        ("https://cb.example.com/cb/fee", "https://cb.example.com/cb"),
        ("https://cb.example.com/cb", "https://cb.example.com/cb-fee"),
        ("https://cb.example.com/", "https://cb.example.com/fee"),
    ])
    func statusAndFeePathsThatPrefixOneAnotherAreRefused(_ status: String, _ fee: String) {
        #expect {
            _ = try load(Self.toml(status: status, fee: fee))
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "callbacks.status_url" && error.message.contains("callbacks.fee_url")
        }
    }

    @Test func siblingOrIdenticalPathsAreAccepted() throws {
        _ = try load(Self.toml())
        _ = try load(Self.toml(status: "https://cb.example.com/cb/status", fee: "https://cb.example.com/cb/fee"))
        let same = try load(Self.toml(status: "https://cb.example.com/cb", fee: "https://cb.example.com/cb"))
        #expect(CallbackReceiver.Settings(same.callbacks).paths == ["/cb"])
    }
}
