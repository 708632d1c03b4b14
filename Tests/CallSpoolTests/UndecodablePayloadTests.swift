@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// A queued job whose stored payload cannot be decoded used to make
/// `beginAttempt` answer nil: the job was skipped on every pass, silently,
/// until it expired. It now fails on the next pass with a `payload` error
/// naming what could not be decoded, and nothing else is affected.
@Suite struct UndecodablePayloadTests {
    let clock = ManualClock()
    let database: AppDatabase

    init() throws { database = try AppDatabase.inMemory() }

    func scheduler() async throws -> Scheduler {
        let limits = Configuration.Limits(
            maxConcurrentCalls: 10, requestsPerSecond: 1000, perDisplayNumberPerMinute: 60, perCalleeMax: 3,
            perCalleeWindow: .seconds(86_400), verifyReservedPorts: 0, callLease: .seconds(600))
        let backoff = Configuration.Backoff(ports: .seconds(60), flow: .seconds(60), callee: .seconds(3600), halt: .seconds(300))
        let defaults = Configuration.Defaults(
            displayNumbers: ["+8675528000088"], verifyTTL: .seconds(300), notifyTTL: .seconds(86_400),
            window: CallingWindow(startMinute: 0, endMinute: 24 * 60, timeZone: "Asia/Shanghai"))
        var settings = SchedulerSettings(limits: limits, backoff: backoff, defaults: defaults, createdClock: .auto)
        settings.slowStart = false
        let scheduler = Scheduler(database: database, settings: settings, clock: clock, random: AnyRandom(SeededRandom(state: 7)))
        try await scheduler.start()
        return scheduler
    }

    func queue(_ specs: [JobSpec]) throws {
        _ = try database.insertJobs(specs, intakeKey: "k", sourceFile: "t.jsonl", policy: IntakePolicy(), now: clock.now)
    }

    func damage(_ id: String, payload: String) throws {
        try database.write { db in
            try db.execute("UPDATE job SET payload = ? WHERE jobId = ?", [payload, id])
        }
    }

    @Test func undecodableVerifyPayloadFailsOnTheNextPassWithoutItsCode() async throws {
        try queue([
            StoreFixtures.spec(id: "broken-otp", verifyCode: "739154", callee: "+8613911112222"),
            StoreFixtures.spec(id: "fine", callee: "+8613800000003"),
        ])
        // The verify payload lost its preTone's type: a number where a string belongs.
        try damage("broken-otp", payload: #"{"verify":{"_0":{"languageType":2,"preTone":7,"verifyCode":"739154"}}}"#)
        let scheduler = try await scheduler()
        let pass = try await scheduler.tick()
        #expect(pass.tickets.map(\.jobId) == ["fine"])
        let job = try #require(try database.jobDetail(id: "broken-otp"))
        #expect(job.job.state == .failed)
        #expect(job.job.errorCode == "payload")
        #expect(job.job.errorDesc == "the stored payload cannot be decoded: verify.preTone is not a string; the job was never sent (queue it again from a job file)")
        #expect(job.attempts.isEmpty)
        #expect(job.job.attempts == 0)
        // The code is gone from the row (the usual erasure cannot decode it).
        #expect(!job.job.payload.storedText.contains("739154"))
        #expect(job.job.errorDesc?.contains("739154") == false)
        // A result is queued for it, as for any job that ended.
        let results = try database.pendingResults().map(\.job.jobId)
        #expect(results.contains("broken-otp"))
        #expect(try database.jobDetail(id: "fine")?.job.state == .dispatching)
    }

    @Test func payloadThatIsNotJSONFailsAndPassesGoOnToTheNextJobs() async throws {
        // More broken jobs than one page holds, ahead of a good one: the pass
        // reads on past them instead of stopping at a page without progress.
        let broken = (0..<40).map { StoreFixtures.spec(id: "b\($0)", callee: "+86138000001\(String(format: "%02d", $0))") }
        try queue(broken)
        try queue([StoreFixtures.spec(id: "good", callee: "+8613800000299")])
        for spec in broken { try damage(spec.id, payload: "not json") }
        let scheduler = try await scheduler()
        let pass = try await scheduler.tick()
        #expect(pass.tickets.map(\.jobId) == ["good"])
        for spec in broken {
            let job = try #require(try database.jobDetail(id: spec.id)?.job)
            #expect(job.state == .failed)
            #expect(job.errorDesc?.contains(#"not a JSON object holding a "notify" or a "verify" object"#) == true)
        }
    }

    @Test func descriptionsNameTheField() throws {
        func problem(_ text: String) -> String {
            do {
                _ = try JSONDecoder().decode(JobPayload.self, from: Data(text.utf8))
                return "decoded"
            } catch {
                return StoredPayloadError(decoding: error).description
            }
        }
        #expect(problem(#"{"notify":{"playInfoList":[{"collectInd":"one"}]}}"#).contains("notify.playInfoList[0].collectInd is not an integer"))
        #expect(problem(#"{"notify":{}}"#).contains("notify.playInfoList is missing"))
        #expect(problem(#"{"other":1}"#).contains(#"not a JSON object holding a "notify" or a "verify" object"#))
        #expect(StoredPayloadError.erasingVerifyCodes(#"{"verify":{"_0":{"verifyCode":"4829","preTone":7}}}"#).contains("4829") == false)
        #expect(StoredPayloadError.erasingVerifyCodes("4829 not json") == "{}")
    }
}
