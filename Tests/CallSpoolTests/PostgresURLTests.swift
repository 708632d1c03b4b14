@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// `[store] url` never shows its password, even when it does not parse (a
/// password holding `#` or `@` unencoded is exactly that case).
@Suite struct PostgresURLTests {
    static let secretURL = "postgresql://callspool:TopSecret#1@127.0.0.1:55432/callspool"

    @Test func anUnparsableURLIsRedactedInItsError() throws {
        do {
            _ = try PostgresStore.Settings(url: Self.secretURL, instance: "x")
            Issue.record("the URL parsed")
        } catch {
            #expect(!error.description.contains("TopSecret"), "\(error.description)")
            #expect(!"\(error)".contains("TopSecret"))
            #expect(!String(reflecting: error).contains("TopSecret"), "the error value itself holds no password")
            #expect(error.description.contains("postgresql://callspool:****@127.0.0.1:55432/callspool"), "\(error.description)")
            #expect(error.description.contains("percent-encoded"), "\(error.description)")
        }
    }

    @Test(arguments: [
        ("postgresql://callspool:TopSecret#1@127.0.0.1:55432/callspool", "postgresql://callspool:****@127.0.0.1:55432/callspool"),
        ("postgresql://callspool:p@ss/w?rd@db:5432/callspool", "postgresql://callspool:****@db:5432/callspool"),
        ("postgresql://callspool:s3cret@db/callspool?sslmode=require", "postgresql://callspool:****@db/callspool?sslmode=require"),
        ("postgresql://callspool@db/callspool?sslmode=verify-full&password=hunter2", "postgresql://callspool@db/callspool?sslmode=verify-full&password=****"),
        ("postgresql://u/x:pw@db/callspool", "postgresql://****@db/callspool"),
        ("postgresql://a@b@db/callspool", "postgresql://****@db/callspool"),
        ("postgresql://:pw@db/callspool", "postgresql://****@db/callspool"),
        ("postgresql://callspool@db/callspool", "postgresql://callspool@db/callspool"),
        ("postgresql:callspool:pw@db/callspool", "postgresql:callspool:****@db/callspool"),
        ("callspool:pw@db", "callspool:****@db"),
        ("not a url", "not a url"),
    ])
    func redaction(url: String, expected: String) {
        #expect(PostgresURL.redacted(url) == expected)
        #expect(PostgresURL.redacted(expected) == expected, "twice changes nothing")
    }

    @Test func everyParseErrorShowsTheURLRedacted() {
        for url in [
            "postgresql://callspool:s3cret@db/callspool?sslmode=sometimes", "postgresql://callspool:s3cret@db/callspool?password=s3cret",
            "postgresql://callspool:s3cret@db/", "mysql://callspool:s3cret@db/callspool", "postgresql://:s3cret@db/callspool",
        ] {
            #expect(throws: PostgresStoreError.self) { try PostgresStore.Settings(url: url, instance: "x") }
            do { _ = try PostgresStore.Settings(url: url, instance: "x") } catch {
                #expect(!String(reflecting: error).contains("s3cret"), "\(url): \(String(reflecting: error))")
                #expect(!error.description.contains("s3cret"), "\(url): \(error.description)")
            }
        }
    }
}
