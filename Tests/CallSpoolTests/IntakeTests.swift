@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

@Suite struct IntakeTests {
    @Test func dropCommitMoveReport() throws {
        let spool = try SpoolFixture()
        try spool.drop("one.json", JobText.verify("login-1"))
        guard case .processed(let report) = try spool.intake.process(name: "one.json", settled: false) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 1)
        #expect(spool.listing(spool.layout.incoming).isEmpty)
        #expect(spool.listing(spool.layout.processed) == ["one.json", "one.json.report.json"])
        #expect(try spool.report(in: spool.layout.processed, for: "one.json") == report)
        #expect(try spool.database.jobDetail(id: "login-1")?.job.state == .queued)
    }

    /// A notify job whose whole life falls outside its calling window is
    /// refused in its file's report, for that job, instead of being queued
    /// and expiring a second later; the rest of the file is queued. The
    /// fixture's clock reads 16:00 in Shanghai.
    @Test(arguments: [1, 3])
    func aJobThatCouldNeverBeCalledInItsWindowIsRefusedInTheReport(batchSize: Int) throws {
        let window = CallingWindow(startMinute: 9 * 60, endMinute: 10 * 60, timeZone: "Asia/Shanghai")
        let spool = try SpoolFixture(batchSize: batchSize, policy: IntakePolicy(defaultWindow: window))
        let play = #""playInfoList":[{"notifyVoice":"a.wav"}]"#
        try spool.drop("w.jsonl", [
            #"{"type":"notify","id":"too-short","calleeNbr":"+8613800000001",\#(play),"ttl":"1h"}"#,
            #"{"type":"notify","id":"next-morning","calleeNbr":"+8613800000002",\#(play),"ttl":"24h"}"#,
            #"{"type":"notify","id":"alert","calleeNbr":"+8613800000003",\#(play),"ttl":"1h","window":"always"}"#,
            #"{"type":"verify","id":"code","calleeNbr":"+8613800000004","verifyCode":"1234","preTone":"p.wav"}"#,
        ].joined(separator: "\n"))
        guard case .processed(let report) = try spool.intake.process(name: "w.jsonl", settled: true) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 3)
        let refused = try #require(report.rejected.first)
        #expect(report.rejected.count == 1 && refused.id == "too-short")
        #expect(refused.error.contains("window: outside its calling window 09:00–10:00 Asia/Shanghai"), "\(refused.error)")
        #expect(try spool.database.jobDetail(id: "too-short") == nil)
        for id in ["next-morning", "alert", "code"] { #expect(try spool.database.jobDetail(id: id)?.job.state == .queued) }
    }

    @Test func crashBetweenCommitAndMoveCreatesNoDuplicate() throws {
        let spool = try SpoolFixture()
        let path = try spool.drop("c.json", JobText.campaign(name: "flu", count: 10))
        // Simulate the first run: jobs and completion committed, then a crash before the move.
        let identity = try #require(FileIdentity.of(path: path, name: "c.json"))
        let specs = try JobFile.open(path).entries().map { try $0.result.get() }
        _ = try spool.database.insertJobs(specs, intakeKey: identity.intakeKey, sourceFile: "c.json", policy: .init(), now: Date())
        try spool.database.completeIntake(key: identity.intakeKey, name: "c.json", report: FileReport(file: "c.json", accepted: 10, campaign: "flu"), now: Date())
        guard case .processed(let report) = try spool.intake.process(name: "c.json", settled: false) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 10)
        #expect(report.duplicates == 0)
        #expect(try spool.database.stateCounts()[.queued] == 10)
        #expect(spool.listing(spool.layout.incoming).isEmpty)
    }

    @Test func crashMidFileResumesWithoutDuplicates() throws {
        let spool = try SpoolFixture(batchSize: 4)
        let path = try spool.drop("c.json", JobText.campaign(name: "flu", count: 10))
        let identity = try #require(FileIdentity.of(path: path, name: "c.json"))
        let firstBatch = try JobFile.open(path).entries().prefix(4).map { try $0.result.get() }
        _ = try spool.database.insertJobs(firstBatch, intakeKey: identity.intakeKey, sourceFile: "c.json", policy: .init(), now: Date())
        guard case .processed(let report) = try spool.intake.process(name: "c.json", settled: false) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 10)
        #expect(report.duplicates == 0)
        #expect(try spool.database.jobs(limit: 100).count == 10)
    }

    @Test func campaignWithThreeBadJobsAmongOneHundredThousand() throws {
        let spool = try SpoolFixture()
        try spool.drop("big.json", JobText.campaign(name: "big", count: 100_000, bad: [5, 50_000, 99_999]))
        guard case .processed(let report) = try spool.intake.process(name: "big.json", settled: true) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 99_997)
        #expect(report.rejected.map(\.index) == [5, 50_000, 99_999])
        #expect(report.rejected.allSatisfy { $0.error.contains("calleeNbr") })
        #expect(try spool.database.stateCounts()[.queued] == 99_997)
    }

    @Test func duplicateIdsWithinOneFileAreCounted() throws {
        let spool = try SpoolFixture()
        try spool.drop("d.jsonl", [JobText.verify("x"), JobText.verify("y"), JobText.verify("x")].joined(separator: "\n"))
        guard case .processed(let report) = try spool.intake.process(name: "d.jsonl", settled: false) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 2)
        #expect(report.duplicates == 1)
    }

    @Test(arguments: ["with space.json", "预约 提醒.json", "ünïcødé-名前.jsonl"])
    func unusualNamesAreHandled(name: String) throws {
        let spool = try SpoolFixture()
        try spool.drop(name, JobText.verify("n-\(name.count)"))
        guard case .processed(let report) = try spool.intake.process(name: name, settled: false) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 1)
        #expect(spool.listing(spool.layout.processed).contains(name))
    }

    static let unreadable: [(String, [UInt8], String)] = [
        ("empty.json", [], "file is empty"),
        ("garbage.json", [0x00, 0xFF, 0x13, 0x37, 0x42, 0x99], "not a job file"),
        ("truncated.json", Array(#"{"campaign":"x","type":"notify","jobs":[{"calleeNbr":"+8613"#.utf8), "not valid JSON"),
        ("latin1.json", Array(#"{"campaign":""#.utf8) + [0xE9, 0xE9] + Array(#"","jobs":[]}"#.utf8), "campaign"),
    ]

    @Test(arguments: unreadable)
    func unreadableFilesAreRejectedWithReportAfterSettling(name: String, bytes: [UInt8], message: String) throws {
        let spool = try SpoolFixture()
        try spool.drop(name, Data(bytes))
        guard case .notReady = try spool.intake.process(name: name, settled: false) else {
            Issue.record("an unsettled broken file must wait")
            return
        }
        #expect(spool.listing(spool.layout.incoming) == [name])
        guard case .rejected(let report) = try spool.intake.process(name: name, settled: true) else {
            Issue.record("not rejected")
            return
        }
        #expect(report.error?.contains(message) == true, "\(report.error ?? "")")
        #expect(spool.listing(spool.layout.rejected) == [name, name + ".report.json"])
        #expect(try spool.database.jobs().isEmpty)
    }

    @Test func invalidUTF8JobIsReportedAndOthersQueued() throws {
        let spool = try SpoolFixture()
        var data = Data((JobText.verify("good") + "\n").utf8)
        data.append(contentsOf: Array(#"{"type":"verify","id":"b"#.utf8) + [0xC3, 0x28] + Array(#"","calleeNbr":"+8613800000001"}"#.utf8))
        try spool.drop("mixed.jsonl", data)
        guard case .processed(let report) = try spool.intake.process(name: "mixed.jsonl", settled: false) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 1)
        #expect(report.rejected.first?.line == 2)
        #expect(report.rejected.first?.error.contains("UTF-8") == true)
    }

    @Test func twoGibibyteFileIsRejectedWithoutReading() throws {
        let spool = try SpoolFixture()
        let path = spool.layout.incoming + "/huge.json"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        // A sparse 2 GiB file: reading it would take seconds and gigabytes; the size check must not.
        #expect(truncate(path, 2 << 30) == 0)
        guard case .rejected(let report) = try spool.intake.process(name: "huge.json", settled: false) else {
            Issue.record("not rejected")
            return
        }
        #expect(report.error?.contains("over the limit") == true)
        #expect(spool.listing(spool.layout.rejected).contains("huge.json"))
    }

    @Test func symlinkIsRefused() throws {
        let spool = try SpoolFixture()
        let target = try spool.dir.write("real.json", JobText.verify("via-link"))
        #expect(symlink(target, spool.layout.incoming + "/link.json") == 0)
        guard case .rejected(let report) = try spool.intake.process(name: "link.json", settled: false) else {
            Issue.record("not rejected")
            return
        }
        #expect(report.error?.contains("symbolic links") == true)
        #expect(try spool.database.jobs().isEmpty)
        #expect(FileManager.default.fileExists(atPath: target))
    }

    @Test func fileOwnedByAnotherUserIsProcessedWhenReadable() throws {
        let spool = try SpoolFixture()
        let path = try spool.drop("other.json", JobText.verify("other-owner"))
        if getuid() == 0 {
            #expect(chown(path, 65_534, 65_534) == 0)
        }
        #expect(chmod(path, 0o644) == 0)
        guard case .processed(let report) = try spool.intake.process(name: "other.json", settled: false) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 1)
    }

    @Test func ignoredNamesAreLeftAlone() throws {
        let spool = try SpoolFixture()
        for name in [".hidden.json", "x.json.tmp", "y.json.part"] {
            try spool.drop(name, JobText.verify(name))
            guard case .skipped = try spool.intake.process(name: name, settled: true) else {
                Issue.record("\(name) should be ignored")
                continue
            }
        }
        #expect(spool.listing(spool.layout.incoming).count == 3)
    }

    @Test func sameNameTwiceKeepsBothInProcessed() throws {
        let spool = try SpoolFixture()
        try spool.drop("daily.json", JobText.verify("day-1"))
        _ = try spool.intake.process(name: "daily.json", settled: false)
        try spool.drop("daily.json", JobText.verify("day-2"))
        _ = try spool.intake.process(name: "daily.json", settled: false)
        #expect(spool.listing(spool.layout.processed) == ["daily.json", "daily.json.1", "daily.json.1.report.json", "daily.json.report.json"])
        #expect(try spool.database.jobs().count == 2)
    }
}
