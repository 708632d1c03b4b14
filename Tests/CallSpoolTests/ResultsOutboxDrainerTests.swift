@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VoiceCallAPI

/// The receiver only receives: the commit that finishes a job queues its
/// results file (one producer, the schema), and ``ResultsOutboxService``
/// writes it (one drainer), woken by the store after that commit.
@Suite struct ResultsOutboxDrainerTests {
    /// Counts the store's "a results file was queued" signals.
    final class Tally: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    struct Rollback: Error {}

    func digits(_ path: String) throws -> [String]? {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["digits"] as? [String]
    }

    /// Polls an observable condition (a file, a row) every 10 ms, for at
    /// most 5 s; the bound only keeps a broken build from hanging.
    func eventually(_ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try condition()
    }

    @Test func aCallbackIsAnsweredWithoutWritingTheResultsFile() async throws {
        let fixture = try CallbackFixture(resultsDir: true)
        let dir = try #require(fixture.results).path + "/results"
        try await fixture.outbox.prepare()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            do { let status = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1", stateCode: 0)); #expect(status == 200) }
            // Answered: the job is finished and its file queued in that
            // commit, but the request wrote nothing.
            #expect(try fixture.job(row).state == .completed)
            #expect(try fixture.database.pendingResultCount() == 1)
            #expect(!FileManager.default.fileExists(atPath: dir + "/a.json"))
        }
        #expect(await fixture.outbox.drain() == 1)
        #expect(FileManager.default.fileExists(atPath: dir + "/a.json"))
        #expect(try fixture.database.pendingResultCount() == 0)
    }

    @Test func aCallbackIsAnsweredWhileTheResultsDirectoryCannotBeWrittenAndTheFileFollows() async throws {
        let fixture = try CallbackFixture(resultsDir: true)
        let dir = try #require(fixture.results).path + "/results"
        // results.dir is a regular file: every write fails (ENOTDIR), even as root.
        #expect(FileManager.default.createFile(atPath: dir, contents: Data("not a directory".utf8)))
        let row = try fixture.jobInCall("b", session: "S2")
        try await fixture.app().test(.router) { client in
            do { let status = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S2", stateCode: 0)); #expect(status == 200) }
        }
        #expect(try fixture.job(row).state == .completed)
        #expect(await fixture.outbox.drain() == 0)
        #expect(try fixture.database.pendingResultCount() == 1)  // kept for the next drain
        try FileManager.default.removeItem(atPath: dir)
        try await fixture.outbox.prepare()
        #expect(await fixture.outbox.drain() == 1)
        #expect(FileManager.default.fileExists(atPath: dir + "/b.json"))
    }

    @Test func theServiceWritesTheFilesLeftQueuedAndThoseACallbackQueues() async throws {
        let fixture = try CallbackFixture(resultsDir: true)
        let dir = try #require(fixture.results).path + "/results"
        // Committed before any drainer ran (a crash between commit and file).
        let left = try fixture.insertJob("left")
        try fixture.move(left, to: .expired)
        try fixture.jobInCall("c", session: "S3")
        // A poll interval no test waits for: only the store's signal can
        // wake the service after its start-up drain.
        let service = ResultsOutboxService(outbox: fixture.outbox, interval: .seconds(3600))
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        #expect(try await eventually { FileManager.default.fileExists(atPath: dir + "/left.json") })
        try await fixture.app().test(.router) { client in
            do { let status = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S3", stateCode: 0)); #expect(status == 200) }
        }
        #expect(try await eventually { FileManager.default.fileExists(atPath: dir + "/c.json") })
        #expect(try await eventually { try fixture.database.pendingResultCount() == 0 })
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test func aDigitAppendedToAFinishedJobRequeuesItsFileOnce() async throws {
        let fixture = try CallbackFixture(resultsDir: true)
        let dir = try #require(fixture.results).path + "/results"
        try await fixture.outbox.prepare()
        let row = try fixture.jobInCall("d", session: "S4")
        let late = CallbackFixture.status("collectInfo", session: "S4", digits: "5")
        try await fixture.app().test(.router) { client in
            do { let status = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S4", stateCode: 0)); #expect(status == 200) }
            // A drain reads the queue...
            let read = try fixture.database.pendingResults()
            #expect(read.map(\.job.digits) == [[]])
            // ...the digit comes before it clears (same timestamp: a fixed clock)...
            do { let status = try await client.pushStatus(late); #expect(status == 200) }
            do { let status = try await client.pushStatus(late); #expect(status == 200) }  // a re-push: stored once, queues nothing
            #expect(try fixture.job(row).digits == ["5"])
            let version = try await fixture.database.read { db in
                try db.scalar(Int.self, "SELECT version FROM resultOutbox WHERE jobRowId = ?", [row])
            }
            #expect(version == 2)  // queued by the completion, then once by the digit
            // ...so clearing what was read leaves the new queueing in place.
            try fixture.database.clearResults(read.map { ClearedResult(jobRowId: row, version: $0.version) })
            #expect(try fixture.database.pendingResultCount() == 1)
        }
        #expect(await fixture.outbox.drain() == 1)
        #expect(try digits(dir + "/d.json") == ["5"])
        #expect(try fixture.database.pendingResultCount() == 0)
    }

    @Test func anyChangeOfAFinishedJobsDigitsQueuesItsFile() throws {
        let fixture = try CallbackFixture()
        let done = try fixture.insertJob("done")
        try fixture.move(done, to: .canceled)
        let open = try fixture.insertJob("open")
        try fixture.database.discardPendingResults()
        try fixture.database.write { db in
            try db.execute(#"UPDATE job SET digits = '["7"]' WHERE id IN (?, ?)"#, [done, open])
            // Other columns of a finished job: nothing to write again.
            try db.execute("UPDATE job SET errorDesc = 'x' WHERE id = ?", [done])
        }
        let queued = try fixture.database.read { db in try db.column(Int64.self, "SELECT jobRowId FROM resultOutbox") }
        #expect(queued == [done])
    }

    @Test func theStoreSignalsOnlyCommitsThatQueuedAFile() throws {
        let fixture = try CallbackFixture()
        let tally = Tally()
        let observer = fixture.database.observeQueuedResults { tally.add() }
        let row = try fixture.insertJob("e")
        try fixture.startDispatch(row)
        #expect(tally.value == 0)
        // Finished, then rolled back: nothing queued, nothing signalled.
        #expect(throws: Rollback.self) {
            try fixture.database.write { db in
                var job = try db.record(JobRecord.self, key: row).orThrow()
                try db.store.transition(&job, to: .failed, now: CallbackFixture.now)
                throw Rollback()
            }
        }
        #expect(tally.value == 0)
        #expect(try fixture.database.pendingResultCount() == 0)
        try fixture.move(row, to: .failed)
        #expect(tally.value == 1)
        #expect(try fixture.database.pendingResultCount() == 1)
        withExtendedLifetime(observer) {}
    }
}
