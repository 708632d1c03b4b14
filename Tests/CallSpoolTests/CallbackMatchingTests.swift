@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI

/// docs/states.md matching: events to jobs by sessionId or userData, digits in
/// order, outcomes, redial, throttling, CDR fallback and idempotence.
@Suite struct CallbackMatchingTests {
    /// The issue's "done when": also over a real loopback server.
    @Test(arguments: [TestingSetup.router, .live])
    func fullCallIsMatchedAndShownByJobView(_ setup: TestingSetup) async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("appt-1", session: "S1")
        try await fixture.app().test(setup) { client in
            for body in [
                CallbackFixture.status("callout", session: "S1", userData: "cs1.\(row).1"),
                CallbackFixture.status("answer", session: "S1", userData: "cs1.\(row).1"),
                CallbackFixture.status("collectInfo", session: "S1", digits: "1"),
                CallbackFixture.status("disconnect", session: "S1", userData: "cs1.\(row).1", stateCode: 0),
            ] {
                do { let value = try await client.pushStatus(body); #expect(value == 200) }
            }
            let fee = try await client.push(
                "/callspool/fee", CallbackFixture.fee([CallbackFixture.cdr(session: "S1", path: "1")]),
                headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(fee.status == 200)
        }
        let detail = try #require(try fixture.database.jobDetail(id: "appt-1"))
        let view = JobView(detail)
        #expect(view.state == "completed")
        #expect(view.outcome == "answered")
        #expect(view.stateCode == 0)
        #expect(view.digits == ["1"])
        #expect(view.events.map(\.eventType) == ["callout", "answer", "collectInfo", "disconnect"])
        #expect(view.cdr?.sessionId == "S1")
        #expect(await fixture.signals.signals == [CallEndSignal(jobRowId: row, sessionId: "S1", outcome: .answered, stateCode: 0, app: "default")])
    }

    @Test func digitsAreAppendedInArrivalOrder() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            for digits in ["1", "23", "#"] {
                do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: digits)); #expect(value == 200) }
            }
        }
        let job = try fixture.job(row)
        #expect(job.digits == ["1", "23", "#"])
        #expect(job.state == .inCall)
    }

    @Test func eventsBeforeAcceptanceAreKeptThenApplied() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.insertJob("a")
        try fixture.startDispatch(row)
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S5", digits: "4")); #expect(value == 200) }
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S5", stateCode: 0)); #expect(value == 200) }
        }
        #expect(try fixture.job(row).state == .dispatching)
        #expect(try fixture.pendingEventCount() == 2)
        let signals = try fixture.accept(row, session: "S5")
        let job = try fixture.job(row)
        #expect(job.digits == ["4"])
        #expect(job.state == .completed)
        #expect(job.outcome == .answered)
        #expect(signals == [CallEndSignal(jobRowId: row, sessionId: "S5", outcome: .answered, stateCode: 0, app: "default")])
    }

    @Test func userDataReconcilesAnUnknownJob() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.insertJob("a")
        try fixture.startDispatch(row)
        try fixture.markUnknown(row)
        let tag = "cs1.\(row).1"
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("callout", session: "S7", userData: tag)); #expect(value == 200) }
            do { let value = try fixture.job(row).state; #expect(value == .inCall) }
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S7", digits: "9")); #expect(value == 200) }
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S7", userData: tag, stateCode: 8101)); #expect(value == 200) }
        }
        let job = try fixture.job(row)
        #expect(job.sessionId == "S7")
        #expect(job.calls == 1)
        #expect(job.state == .completed)
        #expect(job.outcome == .noAnswer)
        #expect(job.digits == ["9"])
        #expect(try fixture.attempts(row).map(\.sessionId) == ["S7"])
    }

    @Test func eventsWhileDispatchingAreReconciledByTheSweeperOnceUnknown() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.insertJob("a")
        try fixture.startDispatch(row)
        let disconnect = CallbackFixture.status("disconnect", session: "S8", userData: "cs1.\(row).1", stateCode: 8102)
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S8", digits: "2")); #expect(value == 200) }
            do { let value = try await client.pushStatus(disconnect); #expect(value == 200) }
        }
        #expect(try fixture.job(row).state == .dispatching)
        // The response was lost: the dispatcher (or a restart) marks the job unknown.
        try fixture.markUnknown(row)
        let sweeper = PendingEventSweeper(
            database: fixture.database, clock: fixture.clock, onCallEnded: { _ in }, logger: .init(label: "test"))
        let signals = await sweeper.sweep()
        let job = try fixture.job(row)
        #expect(job.state == .completed)
        #expect(job.outcome == .busy)
        #expect(job.digits == ["2"])
        #expect(signals.map(\.sessionId) == ["S8"])
    }

    @Test(arguments: [7109, 7001, 7003])
    func throttledAfterAcceptanceIsRequeuedNotCompleted(_ code: Int) async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1", stateCode: code)); #expect(value == 200) }
        }
        let job = try fixture.job(row)
        #expect(job.state == .queued)
        #expect(job.outcome == .throttled)
        #expect(job.stateCode == code)
        #expect(job.calls == 0)
        #expect(job.nextAttemptAt == CallbackFixture.now.addingTimeInterval(60))
        #expect(await fixture.signals.signals == [CallEndSignal(jobRowId: row, sessionId: "S1", outcome: .throttled, stateCode: code, app: "default")])
    }

    @Test func redialPolicyRequeuesOnNoAnswerUntilAttemptsAreUsed() async throws {
        let fixture = try CallbackFixture()
        let policy = RedialPolicy(maxAttempts: 2, interval: .seconds(1200), on: [.noAnswer])
        let row = try fixture.jobInCall("a", session: "S1", redial: policy)
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1", stateCode: 8101)); #expect(value == 200) }
        }
        var job = try fixture.job(row)
        #expect(job.state == .queued)
        #expect(job.outcome == .noAnswer)
        #expect(job.nextAttemptAt == CallbackFixture.now.addingTimeInterval(1200))
        // Second and last call: not answered again → completed.
        try fixture.startDispatch(row, attempt: 2)
        try fixture.accept(row, attempt: 2, session: "S2")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S2", stateCode: 8101)); #expect(value == 200) }
        }
        job = try fixture.job(row)
        #expect(job.state == .completed)
        #expect(job.calls == 2)
        #expect(await fixture.signals.signals.count == 2)
    }

    @Test func redialIsNotUsedForUnlistedOutcomesOrPastExpiry() async throws {
        let fixture = try CallbackFixture()
        let policy = RedialPolicy(maxAttempts: 3, interval: .seconds(1200), on: [.noAnswer])
        let busy = try fixture.jobInCall("busy", session: "S1", redial: policy)
        let late = try fixture.jobInCall("late", session: "S2", redial: policy, ttl: .seconds(600))
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1", stateCode: 8102)); #expect(value == 200) }
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S2", stateCode: 8101)); #expect(value == 200) }
        }
        #expect(try fixture.job(busy).state == .completed)
        #expect(try fixture.job(late).state == .completed)
    }

    @Test func cdrCompletesAJobWhoseDisconnectWasLostAndFillsDigits() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            let answer = try await client.push(
                "/callspool/fee", CallbackFixture.fee([CallbackFixture.cdr(session: "S1", path: "0-2-3")]),
                headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(answer.status == 200)
        }
        let job = try fixture.job(row)
        #expect(job.state == .completed)
        #expect(job.outcome == .answered)
        #expect(job.digits == ["0", "2", "3"])
        #expect(await fixture.signals.signals.map(\.outcome) == [.answered])
    }

    @Test func cdrDoesNotDuplicateDigitsCollectInfoGave() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "7")); #expect(value == 200) }
            let answer = try await client.push(
                "/callspool/fee", CallbackFixture.fee([CallbackFixture.cdr(session: "S1", path: "7")]),
                headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(answer.status == 200)
        }
        #expect(try fixture.job(row).digits == ["7"])
    }

    @Test func repeatedCDRIsStoredOnceAndAnsweredSuccessEachTime() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        let body = CallbackFixture.fee([CallbackFixture.cdr(session: "S1", answered: false, path: "5", unanswered: 18)])
        try await fixture.app().test(.router) { client in
            for _ in 0..<3 {
                let answer = try await client.push("/callspool/fee", body, headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
                #expect(answer.status == 200)
                #expect(answer.body == ["resultcode": "0", "resultdesc": "Success"])
            }
        }
        #expect(try fixture.count("cdr") == 1)
        let job = try fixture.job(row)
        #expect(job.outcome == .noAnswer)
        #expect(job.digits == ["5"])
        #expect(await fixture.signals.signals.count == 1)
    }

    @Test func fiftyRecordBatchIsCommittedTogether() async throws {
        let fixture = try CallbackFixture()
        var rows: [Int64] = []
        for index in 0..<50 { rows.append(try fixture.jobInCall("j\(index)", session: "S\(index)")) }
        let body = CallbackFixture.fee((0..<50).map { CallbackFixture.cdr(session: "S\($0)", answered: $0 % 2 == 0, unanswered: $0 % 2 == 0 ? nil : 17) })
        try await fixture.app().test(.router) { client in
            // Sent to the status URL on purpose: any eventType is accepted on either path.
            do { let value = try await client.pushStatus(body); #expect(value == 200) }
        }
        #expect(try fixture.count("cdr") == 50)
        for (index, row) in rows.enumerated() {
            let job = try fixture.job(row)
            #expect(job.state == .completed)
            #expect(job.outcome == (index % 2 == 0 ? .answered : .busy))
        }
    }

    @Test func cdrBeforeAcceptanceIsAppliedByApplyPendingEvents() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.insertJob("a")
        try fixture.startDispatch(row)
        try await fixture.app().test(.router) { client in
            let answer = try await client.push(
                "/callspool/fee", CallbackFixture.fee([CallbackFixture.cdr(session: "S3", path: "8")]),
                headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(answer.status == 200)
        }
        let signals = try fixture.accept(row, session: "S3")
        #expect(signals.map(\.outcome) == [.answered])
        #expect(try fixture.job(row).digits == ["8"])
    }

    @Test func eventsSurviveARestartOfTheStore() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/store.sqlite"
        var rowID: Int64 = 0
        do {
            let database = try AppDatabase.open(path: path)
            let fixture = try CallbackFixture(database: database)
            rowID = try fixture.insertJob("a")
            try fixture.startDispatch(rowID)
            try await fixture.app().test(.router) { client in
                do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "6")); #expect(value == 200) }
            }
        }
        let reopened = try CallbackFixture(database: try AppDatabase.open(path: path))
        try reopened.accept(rowID, session: "S1")
        #expect(try reopened.job(rowID).digits == ["6"])
    }
}
