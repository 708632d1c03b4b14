@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Synchronization
import Testing
import VoiceCallAPI

/// Cancel and retry of a campaign walk the jobs in pages (issue 12, item 5:
/// canceling 50k jobs loaded every row; 1M would take about 1 GB). The
/// memory figure is measured by `callspool-bench memory`; these tests pin
/// that paging changes exactly the jobs one big pass did, across page
/// boundaries, and that the work is split into page-sized transactions.
@Suite struct BulkControlTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func store(campaignJobs: Int, otherJobs: Int = 3) throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        var specs = (0..<campaignJobs).map { index in
            JobSpec(id: "c-\(index)", type: .notify, campaign: "big", calleeNbr: "+86137" + String(format: "%08d", index),
                    payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]))
        }
        specs += (0..<otherJobs).map { index in
            JobSpec(id: "o-\(index)", type: .notify, calleeNbr: "+86136" + String(format: "%08d", index), payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]))
        }
        _ = try database.insertJobs(specs, intakeKey: "k", sourceFile: "f", policy: IntakePolicy(), now: now)
        return database
    }

    @Test func cancelOfACampaignSpanningManyPagesChangesOnlyItsJobs() throws {
        let count = AppDatabase.controlPageSize * 3 + 17
        let database = try Self.store(campaignJobs: count)
        // Two in progress, one finished.
        try database.write { db in
            for (id, states) in [("c-5", [JobState.dispatching]), ("c-600", [.dispatching, .inCall]), ("c-1000", [.expired])] {
                var job = try #require(try db.record(JobRecord.self, "SELECT * FROM job WHERE jobId = ?", [id]))
                for state in states { try db.store.transition(&job, to: state, now: Self.now) }
            }
        }
        let commits = SQLiteCommitWatch()
        database.watchCommits(commits)
        let summary = try database.apply(.cancel(ids: [], campaign: "big"), now: Self.now) { _ in .seconds(60) }
        // One transaction per page (plus the flagging): before, one pass loaded and changed every row at once.
        // Commits that changed something.
        #expect(commits.commits.filter { !$0.isEmpty }.count >= 4)
        #expect(summary == "canceled \(count - 3) queued jobs; 2 in progress will not be redialed; 1 already finished")
        let counts = try database.stateCounts()
        #expect(counts[.canceled] == count - 3)
        #expect(counts[.queued] == 3, "jobs outside the campaign were touched")
        let flagged = try database.read { try $0.scalar(Int.self, "SELECT COUNT(*) FROM job WHERE cancelRequested = 1") }
        #expect(flagged == 2)
    }

    @Test func retryOfACampaignRequeuesAcrossPagesAndBoundsTheSkipList() throws {
        let count = AppDatabase.controlPageSize + 30
        let database = try Self.store(campaignJobs: count)
        _ = try database.apply(.cancel(ids: [], campaign: "big"), now: Self.now) { _ in .seconds(60) }
        // canceled is final; make them failed to retry them.
        try database.write { db in try db.execute("UPDATE job SET state = 'failed' WHERE campaign = 'big'") }
        let summary = try database.apply(.retry(ids: [], state: nil, campaign: "big"), now: Self.now) { _ in .seconds(60) }
        #expect(summary == "requeued \(count) jobs")
        #expect(try database.stateCounts()[.queued] == count + 3)
    }
}
