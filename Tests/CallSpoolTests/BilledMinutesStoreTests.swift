@testable import CallSpoolCore
import Foundation
import Testing
import VoiceCallAPI

/// Fee CDRs add billed minutes to their jobs (``BilledMinutes``) on every
/// backend: once per call whatever the platform re-pushes, summed over a
/// redialled job's calls, whichever path applies the CDR (the receiver, or
/// the dispatcher when the CDR came before the platform's answer).
@Suite struct BilledMinutesStoreTests {
    typealias Ops = StoreOperationConformanceTests
    static let now = StoreConformanceTests.now
    static let answeredAt = "2026-11-30 10:00:05"

    /// The CDR of a call answered for `seconds` (nil: not answered; the
    /// callee did not pick up, Q.850 19).
    static func cdr(_ session: String, answeredFor seconds: Int64?) throws -> FeeRecord {
        var record = FeeRecord(sessionId: session)
        record.callOutStartTime = "2026-11-30 10:00:00"
        if let seconds {
            let answer = try #require(CivilTime.parse(answeredAt))
            record.callOutAnswerTime = answeredAt
            record.callEndTime = CivilTime.formatEventTime(epochSeconds: answer + seconds)
        } else {
            record.callEndTime = "2026-11-30 10:00:45"
            record.failTime = "2026-11-30 10:00:45"
            record.callOutUnaswRsn = 19
        }
        return record
    }

    static func fee(_ records: [FeeRecord], at date: Date = now, in store: any CallStore) async throws -> CallbackCommit {
        let results = await store.recordCallbacks([.init(event: .fee(records), body: "{}", now: date, app: "reminders")])
        return try #require(results.first).get()
    }

    static func job(_ id: String, in store: any CallStore) throws -> JobRecord {
        try #require(try store.jobDetail(id: id)?.job)
    }

    @Test(arguments: StoreBackend.all)
    func answeredCallsAreBilledPerStartedMinuteOncePerCall(backend: StoreBackend) async throws {
        try await StoreConformanceTests.withStore(backend) { store in
            try Ops.queue([Ops.notify("a", campaign: "c"), Ops.notify("u", callee: "+8613800000002", campaign: "c")], in: store)
            let tickets = try Ops.send(in: store)
            try Ops.accept(try #require(tickets["a"]), session: "SA", in: store)
            try Ops.accept(try #require(tickets["u"]), session: "SU", in: store)

            // The usual order: the disconnect finishes the job, then its CDR.
            _ = try await Ops.push(.disconnect, CallStatusInfo(sessionId: "SA", stateCode: 0, stateDesc: "ok"), in: store)
            #expect(try Self.job("a", in: store).state == .completed)
            try store.discardPendingResults()
            let answered = try await Self.fee([try Self.cdr("SA", answeredFor: 61)], in: store)
            #expect(answered.billed.map(\.minutes) == [2], "61 s answered is 2 started minutes")
            #expect(answered.billed.first?.app == "reminders" && answered.billed.first?.type == .notify)
            #expect(try Self.job("a", in: store).billedMinutes == 2)
            #expect(
                try store.pendingResults(limit: 10).map(\.job.jobId) == ["a"],
                "a finished job's results file is written again with the minutes its late CDR billed")

            let repushed = try await Self.fee([try Self.cdr("SA", answeredFor: 61)], in: store)
            #expect(repushed.duplicates == 1 && repushed.billed.isEmpty)
            #expect(try Self.job("a", in: store).billedMinutes == 2, "a re-pushed CDR is counted once")

            // A CDR standing in for a lost disconnect: not answered, nothing billed.
            let unanswered = try await Self.fee([try Self.cdr("SU", answeredFor: nil)], in: store)
            #expect(unanswered.billed.map(\.minutes) == [0])
            #expect(unanswered.signals.count == 1, "the CDR ended the call")
            #expect(try Self.job("u", in: store).billedMinutes == 0)

            let summary = try #require(try store.campaignSummaries().first { $0.campaign == "c" })
            #expect(summary.billedMinutes == 2)
            #expect(summary.billedMinutesByApp == ["reminders": 2])
        }
    }

    @Test(arguments: StoreBackend.all)
    func aRedialledJobSumsItsCallsAndACDRBeforeTheAnswerIsBilledByTheDispatcher(backend: StoreBackend) async throws {
        try await StoreConformanceTests.withStore(backend) { store in
            var spec = Ops.notify("r", campaign: "c")
            spec.redial = RedialPolicy(maxAttempts: 3, interval: .seconds(60), on: [.error])
            try Ops.queue([spec], in: store)
            let first = try #require(try Ops.send(in: store)["r"])
            try Ops.accept(first, session: "S1", in: store)
            // Answered, then playing the prompt failed (8007 → error): redialled.
            _ = try await Ops.push(.disconnect, CallStatusInfo(sessionId: "S1", stateCode: 8007, stateDesc: "play failed"), in: store)
            #expect(try Self.job("r", in: store).state == .queued)
            _ = try await Self.fee([try Self.cdr("S1", answeredFor: 30)], in: store)
            #expect(try Self.job("r", in: store).billedMinutes == 1)

            // The second call's CDR arrives before the platform's HTTP answer.
            let later = Self.now.addingTimeInterval(120)
            let second = try #require(try Ops.send(["r"], at: later, in: store)["r"])
            let early = try await Self.fee([try Self.cdr("S2", answeredFor: 120)], at: later, in: store)
            #expect(early.pending == 1 && early.billed.isEmpty)
            try Ops.accept(second, session: "S2", at: later, in: store)
            let job = try Self.job("r", in: store)
            #expect(job.billedMinutes == 3, "1 minute for the first call, 2 for the second")
            #expect(job.calls == 2)
            #expect(job.state == .completed)
        }
    }
}
