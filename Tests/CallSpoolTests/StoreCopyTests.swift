import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// `callspool store migrate`: a stopped SQLite store copied into an empty
/// PostgreSQL database reads back the same through ``CallStore``.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct StoreCopyTests {
    typealias Fixtures = StoreConformanceTests

    /// An SQLite store with jobs in several states, events, a pause, an intent and queued results.
    static func populated() async throws -> (AppDatabase, [String]) {
        let source = try AppDatabase.inMemory()
        let ids = ["n1", "n2", "n3", "v1"]
        _ = try Fixtures.queue([Fixtures.notify("n1", campaign: "spring"), Fixtures.notify("n2", callee: "+8613800000002"), Fixtures.notify("n3", callee: "+8613800000003")], in: source)
        _ = try Fixtures.queue([Fixtures.verify("v1")], in: source)
        let tickets = try Fixtures.dispatch("reminders", in: source)
        try source.dispatchTransaction { tx in
            _ = try tx.recordAcceptance(tickets[0], acceptance: CallAcceptance(sessionId: "s-1", idlePort: 3), now: Fixtures.now)
            try tx.recordFailure(
                tickets[1], httpStatus: 200, resultcode: "1010002", resultDesc: "bad number", resultClass: "fatal",
                disposition: .fail(code: "1010002", description: "bad number"), now: Fixtures.now)
        }
        let info = CallStatusInfo(sessionId: "s-1", timestamp: "2027-01-15 08:00:00", userData: tickets[0].userData, digitInfo: "1")
        // n1's CDR: answered 61 s, so 2 billed minutes (`job.billedMinutes`, copied like every column);
        // every field set, so each of its columns is copied, and its raw text.
        let cdr = CDRConformanceTests.everyField(session: "s-1", userData: tickets[0].userData)
        let pushes = [
            CallbackPush(event: .status(.collectInfo, info), body: "{}", now: Fixtures.now),
            CallbackPush(event: .fee([cdr]), body: "{}", now: Fixtures.now, feeTexts: [#"{"sessionId":"s-1", "as":"sent"}"#]),
        ]
        let recorded = await source.recordCallbacks(pushes)
        #expect(recorded.allSatisfy { (try? $0.get()) != nil })
        try source.setPause(.campaign("spring"), reason: "operator", code: nil, until: nil, now: Fixtures.now)
        _ = try source.request(.pause(campaign: "spring"), now: Fixtures.now)
        return (source, ids)
    }

    @Test func aCopyReadsBackTheSameAndContinuesItsIds() async throws {
        let (source, ids) = try await Self.populated()
        let cluster = try #require(PostgresCluster.shared)
        let target = try PostgresStore.open(PostgresStore.Settings(url: try cluster.makeDatabase(), instance: "copy"))
        defer { target.close() }
        let counts = try StoreCopy.copy(from: source, to: target)
        #expect(counts.first { $0.table == "job" }?.rows == 4)
        #expect(try target.stateCounts() == source.stateCounts())
        for id in ids {
            let copied = try #require(try target.jobDetail(id: id))
            let original = try #require(try source.jobDetail(id: id))
            #expect(copied.job == original.job, "\(id)")
            #expect(copied.attempts == original.attempts, "\(id)")
            #expect(copied.events == original.events, "\(id)")
            #expect(copied.cdrs == original.cdrs, "\(id)")
        }
        let copiedCDR = try #require(try target.jobDetail(id: "n1")?.cdrs.first)
        let userData = try #require(try target.jobDetail(id: "n1")?.attempts.first?.userData)
        #expect(copiedCDR.fee == CDRConformanceTests.everyField(session: "s-1", userData: userData))
        #expect(copiedCDR.raw == #"{"sessionId":"s-1", "as":"sent"}"#)
        #expect(try target.pauses() == source.pauses())
        #expect(try target.pendingIntents().map(\.argument) == source.pendingIntents().map(\.argument))
        #expect(try target.pendingResultCount() == source.pendingResultCount())
        // Copied rows name no intake instance: any instance's drainer writes them.
        #expect(try target.pendingResults().map(\.job.jobId) == source.pendingResults().map(\.job.jobId))
        #expect(try target.campaignSummaries() == source.campaignSummaries())
        #expect(try target.jobDetail(id: "n1")?.job.billedMinutes == 2)
        // New rows continue after the copied ids.
        _ = try Fixtures.queue([Fixtures.notify("n9", callee: "+8613800000009")], in: target)
        #expect(try target.jobDetail(id: "n9")?.job.rowId == 5)
    }

    @Test func aDatabaseWithRowsIsRefusedAndLeftAsItWas() async throws {
        let (source, _) = try await Self.populated()
        let cluster = try #require(PostgresCluster.shared)
        let target = try PostgresStore.open(PostgresStore.Settings(url: try cluster.makeDatabase(), instance: "copy"))
        defer { target.close() }
        _ = try Fixtures.queue([Fixtures.notify("other")], in: target)
        #expect(throws: StoreCopy.CopyError.targetNotEmpty(table: "job", rows: 1)) { try StoreCopy.copy(from: source, to: target) }
        #expect(try target.stateCounts()[.queued] == 1)
        #expect(try target.jobDetail(id: "n1") == nil)
    }
}

