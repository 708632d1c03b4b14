@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
import Foundation
import Synchronization
import Testing

/// Two instances on one PostgreSQL store taking the same `Idempotency-Key`
/// at the same moment (a client's retry sent to the other instance while the
/// first is still working): one request's jobs are committed with its
/// answer, the other's transaction is rolled back, and both answer the
/// committed answer.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
struct IdempotencyRaceTests {
    static let now = StoreConformanceTests.now

    @Test func twoInstancesTakingOneKeyAtOnceCommitOneRequestAndBothGiveItsAnswer() throws {
        let cluster = try #require(PostgresCluster.shared)
        let url = try cluster.makeDatabase()
        let a = try PostgresStore.open(PostgresStore.Settings(url: url, instance: "a"))
        let b = try PostgresStore.open(PostgresStore.Settings(url: url, instance: "b"))
        defer {
            a.close()
            b.close()
        }
        let request = KeyedRequest(client: "shop", key: "order-7", contentType: "json", body: Array("{}".utf8))
        let policy = StoreConformanceTests.policy
        let bRan = Mutex(false)
        let bAnswer = Mutex<Result<KeyedAnswer, any Error>?>(nil)
        let bDone = DispatchSemaphore(value: 0)
        let bWorked = DispatchSemaphore(value: 0)
        let first = try a.answerOnce(request, now: Self.now) { rows in
            _ = try rows.insertJobs(
                [StoreConformanceTests.notify("a-job")], intakeKey: "api:a", sourceFile: "api:shop", policy: policy, now: Self.now, resumedUpTo: 0)
            // B sees no answer yet (A has not committed) and does its work too.
            DispatchQueue.global().async {
                let result = Result {
                    try b.answerOnce(request, now: Self.now) { rows in
                        bRan.withLock { $0 = true }
                        _ = try rows.insertJobs(
                            [StoreConformanceTests.notify("b-job", callee: "+8613800000002")], intakeKey: "api:b", sourceFile: "api:shop", policy: policy,
                            now: Self.now, resumedUpTo: 0)
                        bWorked.signal()
                        return (201, "b")
                    }
                }
                bAnswer.withLock { $0 = result }
                bDone.signal()
            }
            // A's transaction stays open until B has done its work (not a
            // guess at how long B takes: a loaded machine may need seconds).
            _ = bWorked.wait(timeout: .now() + 20)
            return (201, "a")
        }
        #expect(bDone.wait(timeout: .now() + 20) == .success, "B finishes")
        #expect(bRan.withLock { $0 }, "B did its work while A's transaction was open (else this test proves less)")
        let second = try #require(bAnswer.withLock { $0 }).get()
        // Whichever committed first (here B: A keeps its key row last, after
        // its work), the other was rolled back and answers the winner's answer.
        let kept = first.kept
        #expect(second.kept == kept)
        #expect(Set([first, second]) == [.first(kept), .repeated(kept)], "one ran, one repeated: \(first), \(second)")
        let winner = kept.body == "a" ? "a-job" : "b-job", loser = kept.body == "a" ? "b-job" : "a-job"
        #expect(try a.jobDetail(id: winner) != nil)
        #expect(try a.jobDetail(id: loser) == nil, "the other request's jobs were rolled back with its transaction")
    }
}
