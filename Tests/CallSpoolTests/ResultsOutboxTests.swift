@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HummingbirdTesting
import Logging
import Testing
import VoiceCallAPI

/// `<results.dir>/<job id>.json` for every terminal job, written atomically.
@Suite struct ResultsOutboxTests {
    func read(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func completedCallWritesItsResultsFile() async throws {
        let fixture = try CallbackFixture(resultsDir: true)
        let dir = try #require(fixture.results).path + "/results"
        try await fixture.outbox.prepare()
        let row = try fixture.insertJob("appt-7", meta: #"{"patient":"A-1189"}"#, campaign: "flu")
        try fixture.startDispatch(row)
        try fixture.accept(row, session: "S1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "1")); #expect(value == 200) }
            #expect(!FileManager.default.fileExists(atPath: dir + "/appt-7.json"))
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1", stateCode: 0)); #expect(value == 200) }
        }
        // Answered before any file: the commit queued it for the drainer.
        #expect(try fixture.count("resultOutbox") == 1)
        #expect(await fixture.outbox.drain() == 1)
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(listing == ["appt-7.json"])
        let result = try read(dir + "/appt-7.json")
        #expect(result["id"] as? String == "appt-7")
        #expect(result["jobKey"] as? Int == Int(row))
        #expect(result["campaign"] as? String == "flu")
        #expect(result["type"] as? String == "notify")
        #expect(result["state"] as? String == "completed")
        #expect(result["outcome"] as? String == "answered")
        #expect(result["stateCode"] as? Int == 0)
        #expect(result["digits"] as? [String] == ["1"])
        #expect(result["calleeNbr"] as? String == "+8613800000001")
        #expect((result["meta"] as? [String: String]) == ["patient": "A-1189"])
        #expect((result["attempts"] as? [[String: Any]])?.first?["sessionId"] as? String == "S1")
        #expect(result["finishedAt"] is String)
        #expect(result["createdAt"] is String)
        #expect(try fixture.count("resultOutbox") == 0)
    }

    @Test func requeuedJobsWriteNothingAndOtherTerminalStatesAreCaught() async throws {
        let fixture = try CallbackFixture(resultsDir: true)
        let dir = try #require(fixture.results).path + "/results"
        try await fixture.outbox.prepare()
        let policy = RedialPolicy(maxAttempts: 3, interval: .seconds(60), on: [.noAnswer])
        let redialed = try fixture.jobInCall("r", session: "S1", redial: policy)
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1", stateCode: 8101)); #expect(value == 200) }
        }
        #expect(try fixture.job(redialed).state == .queued)
        // A job expired by another part of the daemon: the trigger queues it, the next drain writes it.
        let expired = try fixture.insertJob("e")
        try fixture.move(expired, to: .expired)
        #expect(await fixture.outbox.drain() == 1)
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(listing == ["e.json"])
        #expect(try read(dir + "/e.json")["state"] as? String == "expired")
    }

    @Test func withoutADirectoryTheQueueIsEmptied() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1", stateCode: 0)); #expect(value == 200) }
        }
        #expect(try fixture.job(row).state == .completed)
        #expect(await fixture.outbox.drain() == 0)
        #expect(try fixture.count("resultOutbox") == 0)
    }

    @Test func writeIsTmpThenRename() throws {
        let dir = try TemporaryDirectory()
        let database = try AppDatabase.inMemory()
        let spec = JobSpec(id: "x", type: .notify, calleeNbr: "+8613800000001", payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]))
        _ = try database.insertJobs([spec], intakeKey: "k", sourceFile: "f", policy: .init(), now: CallbackFixture.now)
        let job = try #require(try database.jobs().first)
        try ResultsOutbox.write(JobResult(job: job, attempts: []), to: dir.path, name: "1.json")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["1.json"])
        // A stale temporary file from a crash is simply replaced.
        try dir.write(".2.json.tmp", "partial")
        try ResultsOutbox.write(JobResult(job: job, attempts: []), to: dir.path, name: "2.json")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["1.json", "2.json"])
    }
}
