@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import Foundation
import Testing
import VoiceCallAPI

/// The parts of `callspool demo` that need no simulator: the configuration
/// it writes, the job files it submits, progress lines and the result table.
@Suite struct DemoTests {
    let platform = DemoPlatform(
        baseURL: "http://127.0.0.1:40001", appKey: "SimAppKey0000000000000000001", appSecret: "SimAppSecret000000000000000001",
        displayNumbers: ["+8675528000088", "+8675528000089"])

    @Test func writtenConfigurationLoadsForTheDaemonWithAPrivateSecret() throws {
        let dir = try TemporaryDirectory()
        let demo = DemoConfiguration(directory: dir.path + "/demo", platform: platform, callbackPort: 40002, metricsPort: 40003, maxConcurrentCalls: 24)
        try demo.write()
        let config = try ConfigurationLoader(environment: [:]).load(path: demo.configPath, purpose: .daemon)
        #expect(config.platform.baseURL == platform.baseURL)
        #expect(config.applications[0].appSecret == platform.appSecret)
        #expect(config.callbacks.listen == ListenAddress(host: "127.0.0.1", port: 40002))
        #expect(config.callbacks.statusURL.string == "http://127.0.0.1:40002/callspool/status")
        #expect(config.metrics.listen == ListenAddress(host: "127.0.0.1", port: 40003))
        #expect(config.defaults.displayNumbers == platform.displayNumbers)
        #expect(config.defaults.window.startMinute == 0 && config.defaults.window.endMinute == 24 * 60)
        #expect(config.limits.maxConcurrentCalls == 24)
        #expect(config.store.path == demo.storePath)
        var info = stat()
        #expect(stat(demo.secretPath, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func adaptedExamplesAreValidAndRunNow() throws {
        let dir = try TemporaryDirectory()
        let examples = DemoJobs.examples(in: TestPaths.jobs)
        #expect(examples.count >= 5)
        #expect(!examples.contains { $0.contains("/invalid/") })
        for path in examples {
            let name = (path as NSString).lastPathComponent
            let data = try #require(FileManager.default.contents(atPath: path))
            let adapted = try DemoJobs.adapt(data, jsonl: name.hasSuffix(".jsonl"))
            let text = String(decoding: adapted, as: UTF8.self)
            #expect(!text.contains("notBefore") && !text.contains("expiresAt"), "\(name)")
            #expect(!text.contains("\"20m\"") && !text.contains("\"1h\""), "\(name)")
            let report = JobFileLinter.lint(path: try dir.write(name, adapted), maxBytes: 1 << 20)
            let original = JobFileLinter.lint(path: path, maxBytes: 1 << 20)
            #expect(report.error == nil && report.rejected.isEmpty, "\(name): \(report.rejected.map(\.error))")
            #expect(report.accepted == original.accepted, "\(name)")
        }
        let campaign = try #require(examples.first { $0.hasSuffix("campaign-flu.json") })
        let adapted = try DemoJobs.adapt(try #require(FileManager.default.contents(atPath: campaign)), jsonl: false)
        let object = try #require(try JSONSerialization.jsonObject(with: adapted) as? [String: Any])
        let defaults = try #require(object["defaults"] as? [String: Any])
        #expect(defaults["window"] as? [String: String] == DemoJobs.wholeDay)
        #expect((defaults["redial"] as? [String: Any])?["interval"] as? String == DemoJobs.redialInterval)
    }

    @Test func generatedCampaignHasDistinctValidCalls() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("c.json", DemoJobs.campaign(name: "demo-1", size: 250))
        let report = JobFileLinter.lint(path: path, maxBytes: 1 << 20)
        #expect(report.accepted == 250)
        #expect(report.rejected.isEmpty)
        #expect(report.campaign == "demo-1")
    }

    @Test func progressIsABarOnATerminalAndPlainLinesOtherwise() {
        let counts: [JobState: Int] = [.queued: 5, .inCall: 3, .completed: 10, .failed: 2]
        let tty = DemoProgress(isTTY: true, barWidth: 10).render(counts: counts, elapsed: 3, portsInUse: 3, portLimit: 8)
        #expect(tty.hasPrefix("\r\u{1B}[2K██████░░░░  60% 12/20"))
        #expect(tty.contains("in_call 3") && tty.contains("failed 2") && !tty.contains("expired"))
        #expect(!tty.hasSuffix("\n"))
        let plain = DemoProgress(isTTY: false).render(counts: counts, elapsed: 3, portsInUse: 3, portLimit: 8)
        #expect(plain == "[3s] 12/20 done, ports 3/8: queued 5, dispatching 0, in_call 3, completed 10, failed 2, unknown 0\n")
        #expect(!plain.contains("\u{1B}"))
    }

    @Test func settledOnlyWhenFilesAreInAndNothingIsActive() {
        #expect(DemoRunner.settled([.completed: 3], incoming: 0))
        #expect(!DemoRunner.settled([.completed: 3], incoming: 1))
        #expect(!DemoRunner.settled([.completed: 3, .inCall: 1], incoming: 0))
        #expect(DemoRunner.settled([.completed: 3, .unknown: 1, .failed: 1], incoming: 0))
    }

    @Test func resultTableShowsOutcomesDigitsRetriesAndThrottling() {
        var figures = RunFigures()
        figures.states = ["completed": 9, "failed": 1]
        figures.outcomes = ["answered": 6, "no_answer": 2, "busy": 1]
        figures.digits = ["1": 4, "2": 2]
        figures.requests = 14
        figures.calls = 12
        figures.jobsRetried = 4
        figures.jobsRedialled = 2
        figures.pushBacks = ["ports 1020154": 3]
        let errors = [RecentError(id: "parcel-5522", state: "failed", code: "1013004", description: "Callee in blacklist.", at: "2026-11-21T14:00:00Z")]
        let text = DemoReport(figures: figures, errors: errors, elapsed: 12.34, timedOut: false, effectivePortLimit: 16, configuredPortLimit: 24).text
        #expect(text.hasPrefix("Demo finished after 12.3 s: 10 jobs, 14 requests, 12 calls placed."))
        #expect(text.contains("answered   6     67%"))
        #expect(text.contains("1       4"))
        #expect(text.contains("retries     4 jobs sent more than once, 2 redialled"))
        #expect(text.contains("throttling  ports 1020154 ×3"))
        #expect(text.contains("effective limit 16 of 24"))
        #expect(text.contains("parcel-5522  failed  1013004  Callee in blacklist."))
        let quiet = DemoReport(figures: RunFigures(), errors: [], elapsed: 90, timedOut: true, effectivePortLimit: 10, configuredPortLimit: 10).text
        #expect(quiet.contains("stopped at the time limit"))
        #expect(quiet.contains("throttling  none"))
    }

    @Test func runFiguresCountOutcomesDigitsAndPushBacks() throws {
        let database = try AppDatabase.inMemory()
        _ = try database.insertJobs([StoreFixtures.spec(id: "a"), StoreFixtures.spec(id: "b", callee: "+8613800000002")], intakeKey: "k", sourceFile: "t.json", policy: IntakePolicy(), now: Date())
        try database.write { db in
            try db.execute("UPDATE job SET state = 'completed', outcome = 'answered', digits = '[\"1\"]', attempts = 2, calls = 1 WHERE jobId = 'a'")
            let row = try db.scalar(Int64.self, "SELECT id FROM job WHERE jobId = 'a'") ?? 0
            try db.execute("INSERT INTO attempt (jobRowId, n, at, calleeNbr, userData, httpStatus, resultcode, resultClass) VALUES (?, 1, 0, '+8613800000001', 'cs1.1.1', 200, '1020154', 'ports')", [row])
            try db.execute("INSERT INTO attempt (jobRowId, n, at, calleeNbr, userData, httpStatus, resultcode, resultClass) VALUES (?, 2, 0, '+8613800000001', 'cs1.1.2', 200, '0', 'ok')", [row])
        }
        let figures = try database.runFigures()
        #expect(figures.states == ["completed": 1, "queued": 1])
        #expect(figures.outcomes == ["answered": 1])
        #expect(figures.digits == ["1": 1])
        #expect(figures.requests == 2)
        #expect(figures.jobsRetried == 1)
        #expect(figures.pushBacks == ["ports 1020154": 1])
    }
}
