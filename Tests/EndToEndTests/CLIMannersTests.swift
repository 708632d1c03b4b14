@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// The built `callspool` as scripts and monitors use it: `status` exits 0
/// running / 3 not running, and read-only commands never create a store.
@Suite struct CLIMannersTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func callspool(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = try ChildDaemon.executable()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CALLSPOOL_CONFIG"] = nil
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A configuration whose store lives at `directory/state/store.sqlite`.
    static func config(in directory: String) throws -> String {
        let text = """
            [platform]
            base_url = "http://127.0.0.1:9"
            app_key = "k"
            app_secret = "s"
            [spool]
            dir = "\(directory)/spool"
            [store]
            path = "\(directory)/state/store.sqlite"
            [callbacks]
            listen = "127.0.0.1:8080"
            status_url = "https://cb.example.com/status"
            fee_url = "https://cb.example.com/fee"
            """
        let path = directory + "/callspool.toml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func readOnlyCommandsRefuseAMissingStoreAndCreateNothing() throws {
        let scratch = try ScratchDirectory("cli-missing")
        defer { scratch.remove() }
        let config = try Self.config(in: scratch.path)
        for arguments in [
            ["status"], ["status", "--json"], ["jobs"], ["job", "x"], ["campaigns"], ["export", "--campaign", "c"],
            ["report", "--campaign", "c", "--output", scratch.path + "/r.html"],
        ] {
            let run = try Self.callspool(arguments + ["--config", config])
            #expect(run.status == 2, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains(scratch.path + "/state/store.sqlite"), "\(arguments): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path + "/state"), "\(arguments) created the store directory")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/r.html"))
    }

    @Test func statusExitsThreeWithoutADaemonAndZeroWithOne() throws {
        let scratch = try ScratchDirectory("cli-status")
        defer { scratch.remove() }
        let config = try Self.config(in: scratch.path)
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        let database = try AppDatabase.open(path: scratch.path + "/state/store.sqlite")

        let stopped = try Self.callspool(["status", "--json", "--config", config])
        #expect(stopped.status == 3, "\(stopped.stderr)")
        #expect(stopped.stdout.contains(#""running" : false"#), "\(stopped.stdout)")

        // A fresh heartbeat from a live process (this test) counts as running.
        let now = Date()
        try database.beat(HeartbeatRecord(pid: Int(getpid()), startedAt: now, heartbeatAt: now, version: "test"))
        let running = try Self.callspool(["status", "--config", config])
        #expect(running.status == 0, "\(running.stdout)\(running.stderr)")

        // A stale heartbeat: not running again.
        try database.beat(HeartbeatRecord(pid: Int(getpid()), startedAt: now, heartbeatAt: now.addingTimeInterval(-600), version: "test"))
        #expect(try Self.callspool(["status", "--config", config]).status == 3)
    }

    @Test func statusHelpDocumentsTheExitStatus() throws {
        let help = try Self.callspool(["status", "--help"])
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("0 when the daemon is running"), "\(help.stdout)")
        #expect(text.contains("3 when it is not"), "\(help.stdout)")
    }
}
