@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// Answers kept for API requests with an `Idempotency-Key` on every backend
/// of ``StoreBackend/all``: the driver rows (``StoreTransaction``) and the
/// store operation (``CallStore/answerOnce(_:now:_:)``) that runs a request
/// once and commits its jobs with its answer. Time is only the injected `now:`.
@Suite struct IdempotencyConformanceTests {
    typealias Fixture = StoreConformanceTests
    typealias Driver = StoreDriverConformanceTests
    static let now = Fixture.now

    static func answer(_ key: String, client: String = "shop", digest: String = "d1", status: Int = 201, at: Date = now) -> KeptAnswer {
        KeptAnswer(
            client: client, key: key, requestDigest: digest, status: status, body: #"{"n":1}"#, createdAt: at,
            expiresAt: at.addingTimeInterval(KeptAnswer.lifetime))
    }

    @Test(arguments: StoreBackend.all)
    func keptAnswerRowsAreKeptOncePerClientAndKeyAndExpire(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        try Driver.writing(store) { (rows) throws in
            #expect(try rows.keepAnswer(Self.answer("k1")))
            #expect(try rows.keepAnswer(Self.answer("k1", client: "crm")), "keys are per client")
            #expect(try !rows.keepAnswer(Self.answer("k1", digest: "d2", status: 422)), "a live answer holds its key")
            let kept = try #require(try rows.keptAnswer(client: "shop", key: "k1", now: Self.now))
            #expect(kept == Self.answer("k1"), "every column round-trips; the first answer stays")
            #expect(try rows.keptAnswer(client: "shop", key: "k2", now: Self.now) == nil)
        }
        let later = Self.now.addingTimeInterval(KeptAnswer.lifetime)
        try Driver.writing(store) { (rows) throws in
            #expect(try rows.keptAnswer(client: "shop", key: "k1", now: later) == nil, "expired at its expiresAt")
            #expect(try rows.keepAnswer(Self.answer("k1", digest: "d3", at: later)), "an expired answer gives its key up")
            #expect(try rows.keptAnswer(client: "shop", key: "k1", now: later)?.requestDigest == "d3")
            // crm's k1 expired and was not replaced: it alone is deleted.
            #expect(try rows.deleteExpiredAnswers(now: later, limit: 10) == 1)
            #expect(try rows.keptAnswer(client: "crm", key: "k1", now: Self.now) == nil, "deleted, whatever the time asked")
            #expect(try rows.keptAnswer(client: "shop", key: "k1", now: later) != nil)
            #expect(try rows.deleteExpiredAnswers(now: later, limit: 10) == 0)
        }
        try Driver.writing(store) { (rows) throws in
            for n in 0..<3 { _ = try rows.keepAnswer(Self.answer("old-\(n)", at: Self.now.addingTimeInterval(Double(n)))) }
            let end = Self.now.addingTimeInterval(KeptAnswer.lifetime + 10)
            #expect(try rows.deleteExpiredAnswers(now: end, limit: 2) == 2, "at most limit")
            #expect(try rows.keptAnswer(client: "shop", key: "old-2", now: Self.now.addingTimeInterval(3)) != nil, "oldest first")
        }
    }

    @Test(arguments: StoreBackend.all)
    func aKeyedRequestRunsOnceAndItsJobsCommitWithItsAnswer(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        let request = KeyedRequest(client: "shop", key: "order-1", contentType: "json", body: Array("a".utf8))
        var runs = 0
        let work: (any StoreTransaction) throws -> (status: Int, body: String) = { rows in
            runs += 1
            let result = try rows.insertJobs([Fixture.notify("k-\(runs)")], intakeKey: "api:\(runs)", sourceFile: "api:shop", policy: Fixture.policy, now: Self.now, resumedUpTo: 0)
            return (201, "created \(result.accepted)")
        }
        let first = try store.answerOnce(request, now: Self.now, work)
        guard case .first(let kept) = first else { Issue.record("expected a first answer, got \(first)"); return }
        #expect(kept.status == 201 && kept.body == "created 1")
        #expect(kept.expiresAt == Self.now.addingTimeInterval(KeptAnswer.lifetime))
        let again = try store.answerOnce(request, now: Self.now.addingTimeInterval(60), work)
        #expect(again == .repeated(kept), "the same request gets the kept answer")
        let other = KeyedRequest(client: "shop", key: "order-1", contentType: "json", body: Array("b".utf8))
        #expect(try store.answerOnce(other, now: Self.now.addingTimeInterval(60), work) == .reused(kept), "another body under the key is refused")
        #expect(runs == 1, "the work ran once")
        #expect(try store.jobDetail(id: "k-2") == nil)
        // The same key of another client is another request.
        let crm = KeyedRequest(client: "crm", key: "order-1", contentType: "json", body: Array("a".utf8))
        guard case .first = try store.answerOnce(crm, now: Self.now, work) else { Issue.record("keys are per client"); return }
        #expect(runs == 2)

        // Work that fails keeps neither its jobs nor an answer: the request may be sent again.
        struct Failed: Error {}
        let failing = KeyedRequest(client: "shop", key: "order-2", contentType: "json", body: [])
        #expect(throws: Failed.self) {
            try store.answerOnce(failing, now: Self.now) { rows in
                _ = try rows.insertJobs([Fixture.notify("lost")], intakeKey: "api:lost", sourceFile: "api:shop", policy: Fixture.policy, now: Self.now, resumedUpTo: 0)
                throw Failed()
            }
        }
        #expect(try store.jobDetail(id: "lost") == nil, "rolled back with the answer")
        guard case .first = try store.answerOnce(failing, now: Self.now, work) else { Issue.record("a failed request keeps no answer"); return }

        // After its lifetime the key is free again.
        let dayLater = Self.now.addingTimeInterval(KeptAnswer.lifetime + 1)
        guard case .first(let renewed) = try store.answerOnce(other, now: dayLater, work) else { Issue.record("an expired key is free"); return }
        #expect(renewed.requestDigest == other.requestDigest)
    }
}
