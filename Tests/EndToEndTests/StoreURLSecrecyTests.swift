@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// The built `callspool` never prints the store's password, whichever
/// command meets a `[store] url` it cannot parse (the journal keeps what
/// `check` at `ExecStartPre=` and `run` print).
@Suite struct StoreURLSecrecyTests {
    static let secretURL = "postgresql://callspool:TopSecret#1@127.0.0.1:55432/callspool"

    @Test func checkStatusAndStoreMigrateShowTheURLRedacted() throws {
        let scratch = try ScratchDirectory("cli-store-url")
        defer { scratch.remove() }
        let config = try CLIMannersTests.config(in: scratch.path)
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "[store]\n", with: "[store]\nurl = \"\(Self.secretURL)\"\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: config))
        let source = scratch.path + "/old.sqlite"
        try Data().write(to: URL(fileURLWithPath: source))
        for arguments in [
            ["check", "--config", config], ["check", "--json", "--config", config], ["status", "--config", config], ["jobs", "--config", config],
            ["store", "migrate", "--from", source, "--to", Self.secretURL],
        ] {
            let run = try CLIMannersTests.callspool(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(!(run.stdout + run.stderr).contains("TopSecret"), "\(arguments): \(run.stdout) \(run.stderr)")
            #expect((run.stdout + run.stderr).contains("callspool:****@127.0.0.1:55432"), "\(arguments): \(run.stdout) \(run.stderr)")
        }
    }
}

/// `store migrate`'s closing line suggests the `[store] url` to set: with
/// the `sslmode` of `--to`, never a weaker connection than asked for.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct StoreMigrateSuggestionTests {
    @Test func theSuggestedURLKeepsTheQuery() throws {
        let cluster = try #require(PostgresCluster.shared)
        let scratch = try ScratchDirectory("cli-store-migrate")
        defer { scratch.remove() }
        let source = scratch.path + "/old.sqlite"
        _ = try AppDatabase.open(path: source)
        let target = try cluster.makeDatabase() + "?sslmode=disable"
        let run = try CLIMannersTests.callspool(["store", "migrate", "--from", source, "--to", target])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("[store] url = \"\(target)\""), "\(run.stdout)")
    }
}
