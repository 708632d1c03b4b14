@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import Foundation
import Testing

/// `check` warns about a store connection in plain text that leaves this
/// host (`sslmode=prefer` falls back to it without a word), and `store
/// migrate`'s suggested `[store] url` keeps the `sslmode` asked for.
@Suite struct StoreEncryptionCheckTests {
    @Test(arguments: [
        ("db.example.com", false, PostgresStore.Settings.TLSMode.prefer, true),
        ("10.0.0.5", false, .prefer, true),
        ("db.example.com", false, .disable, true),
        ("127.example.com", false, .prefer, true),
        ("db.example.com", true, .prefer, false),
        ("db.example.com", true, .verifyFull, false),
        ("127.0.0.1", false, .prefer, false),
        ("127.1.2.3", false, .disable, false),
        ("localhost", false, .prefer, false),
        ("::1", false, .prefer, false),
        ("[::1]", false, .prefer, false),
    ])
    func plaintextOffLoopbackIsWarned(host: String, encrypted: Bool, tls: PostgresStore.Settings.TLSMode, warned: Bool) {
        let warning = ConfigDoctor.plaintextWarning(host: host, encrypted: encrypted, tls: tls)
        #expect((warning != nil) == warned, "\(host) \(encrypted) \(tls): \(warning ?? "nil")")
        if let warning { #expect(warning.contains("not encrypted") && warning.contains("sslmode=verify-full"), "\(warning)") }
    }

    @Test(arguments: [
        ("postgresql://callspool:pw@db.example.com:6432/callspool?sslmode=verify-full", "postgresql://callspool@db.example.com:6432/callspool?sslmode=verify-full"),
        ("postgresql://callspool@db.example.com/callspool?sslmode=require", "postgresql://callspool@db.example.com:5432/callspool?sslmode=require"),
        ("postgresql://callspool@db.example.com/callspool", "postgresql://callspool@db.example.com:5432/callspool?sslmode=prefer"),
    ])
    func theSuggestedURLKeepsItsSSLMode(url: String, expected: String) throws {
        let settings = try PostgresStore.Settings(url: url, instance: "x")
        #expect(settings.configurationURL == expected)
        #expect(try PostgresStore.Settings(url: settings.configurationURL, instance: "x").tls == settings.tls, "reads back the same")
    }
}
