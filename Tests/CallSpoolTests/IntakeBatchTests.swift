@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Synchronization
import Testing

/// Many small files are taken in a few hundred per transaction (one fsync
/// each instead of one per file), each still with its own report, and a
/// crash between the shared commit and the moves queues nothing twice.
@Suite struct IntakeBatchTests {
    /// Counts committed write transactions that touched the job table.
    /// Drops `count` single-job files with an old mtime (settled).
    static func dropSettled(_ spool: SpoolFixture, count: Int, prefix: String = "f", notify: Bool = false) throws -> [String] {
        try (0..<count).map { index in
            let name = "\(prefix)-\(String(format: "%03d", index)).json"
            let id = "\(prefix)-\(index)", callee = "+86139000\(String(format: "%05d", index))"
            let path = try spool.drop(name, notify ? JobText.notify(id, callee: callee) : JobText.verify(id, callee: callee))
            var times = [timeval(tv_sec: 1_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000, tv_usec: 0)]
            #expect(utimes(path, &times) == 0)
            return name
        }
    }

    @Test func smallFilesShareATransactionEachWithItsReport() async throws {
        let spool = try SpoolFixture()
        let names = try Self.dropSettled(spool, count: 60)
        // Among them: a file with a bad job and a file that is not JSON.
        try spool.drop("m-bad-job.json", #"{"type":"verify","id":"bad","calleeNbr":"12","verifyCode":"1","preTone":"p.wav"}"#)
        try spool.drop("m-broken.json", #"{"type":"#)
        for name in ["m-bad-job.json", "m-broken.json"] {
            var times = [timeval(tv_sec: 1_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000, tv_usec: 0)]
            #expect(utimes(spool.layout.incoming + "/" + name, &times) == 0)
        }
        let watch = SQLiteCommitWatch()
        spool.database.watchCommits(watch)
        let service = IntakeService(intake: spool.intake, settle: .seconds(2), rescanInterval: .seconds(3600))
        await service.rescan()
        #expect(watch.commits.count <= 2, "\(watch.commits.count) commits for 61 small files")
        #expect(spool.listing(spool.layout.incoming).isEmpty)
        for (index, name) in names.enumerated() {
            let report = try spool.report(in: spool.layout.processed, for: name)
            #expect(report.file == name)
            #expect(report.accepted == 1)
            #expect(try spool.database.jobDetail(id: "f-\(index)")?.job.sourceFile == name)
            // The kept copy is redacted (the group's copies synced together).
            let kept = try String(contentsOfFile: spool.layout.processed + "/" + name, encoding: .utf8)
            #expect(!kept.contains("1234") && kept.contains("[erased]"))
        }
        let bad = try spool.report(in: spool.layout.processed, for: "m-bad-job.json")
        #expect(bad.accepted == 0)
        #expect(bad.rejected.first?.error.contains("calleeNbr") == true)
        #expect(try spool.report(in: spool.layout.rejected, for: "m-broken.json").error?.contains("not valid JSON") == true)
        #expect(try spool.database.stateCounts()[.queued] == 60)
    }

    @Test func crashBetweenSharedCommitAndMovesQueuesNothingTwice() throws {
        var spool = try SpoolFixture()
        let names = try Self.dropSettled(spool, count: 10) + Self.dropSettled(spool, count: 10, prefix: "n", notify: true)
        // The first run commits, then "crashes" before any file is moved:
        // every move fails, and what it wrote in processed/ is removed.
        let intact = spool.intake
        spool.intakeFileSystem.rename = { from, to in
            guard !from.contains("/incoming/") else { errno = EIO; return -1 }
            return Glibc.rename(from, to)
        }
        spool.intakeFileSystem.unlink = { path in
            guard !path.contains("/incoming/") else { errno = EIO; return -1 }
            return Glibc.unlink(path)
        }
        let first = spool.intake.process(names.map { SpoolIntake.Request(name: $0, settled: true) })
        #expect(first.count == 20)
        #expect(first.allSatisfy { if case .failure(let error) = $0.result { error is SpoolMoveError } else { false } })
        #expect(try spool.database.stateCounts()[.queued] == 20)
        for name in spool.listing(spool.layout.processed) {
            try FileManager.default.removeItem(atPath: spool.layout.processed + "/" + name)
        }
        #expect(spool.listing(spool.layout.incoming) == names)
        // The restarted daemon finds each file's committed report.
        let second = intact.process(names.map { SpoolIntake.Request(name: $0, settled: true) })
        #expect(second.count == 20)
        for outcome in second {
            guard case .success(.processed(let report)) = outcome.result else {
                Issue.record("\(outcome.name): \(outcome.result)")
                continue
            }
            #expect(report.file == outcome.name)
            #expect(report.accepted == 1)
            #expect(report.duplicates == 0)
        }
        #expect(try spool.database.stateCounts()[.queued] == 20)
        #expect(try spool.database.jobs(limit: 100).count == 20)
        #expect(spool.listing(spool.layout.incoming).isEmpty)
        #expect(spool.listing(spool.layout.processed).count == 40)
    }

    @Test func partlyQueuedSmallFileResumesInTheSharedTransaction() throws {
        let spool = try SpoolFixture(batchSize: 4)
        let path = try spool.drop("c.jsonl", (0..<10).map { JobText.verify("c\($0)", callee: "+861390000000\($0)") }.joined(separator: "\n"))
        let identity = try #require(FileIdentity.of(path: path, name: "c.jsonl"))
        let firstBatch = try JobFile.open(path).entries().prefix(4).map { try $0.result.get() }
        _ = try spool.database.insertJobs(firstBatch, intakeKey: identity.intakeKey, sourceFile: "c.jsonl", policy: .init(), now: Date())
        try spool.drop("other.json", JobText.verify("c0"))
        let outcomes = spool.intake.process([.init(name: "c.jsonl", settled: true), .init(name: "other.json", settled: true)])
        let reports = try outcomes.map { outcome -> FileReport in
            guard case .processed(let report) = try outcome.result.get() else { throw CocoaError(.fileReadUnknown) }
            return report
        }
        #expect(reports.map(\.accepted) == [10, 0])
        #expect(reports.map(\.duplicates) == [0, 1])
    }
}
