@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI

/// Issue 18 item 4: 8008 is an answered call; a disconnect without stateCode
/// frees the port but leaves the outcome to the fee CDR, within the lease.
@Suite struct DisconnectOutcomeTests {
    @Test(arguments: [
        (0, Outcome.answered), (8008, .answered), (8010, .answered),
        (8003, .noAnswer), (8101, .noAnswer), (8102, .busy),
        (8100, .unreachable), (8103, .unreachable), (8105, .unreachable), (8104, .poweredOff),
        (8004, .rejected), (8009, .rejected),
        (7001, .throttled), (7002, .throttled), (7003, .throttled), (7109, .throttled),
        (7004, .error), (7108, .error), (8000, .error), (8001, .error), (8002, .error), (8005, .error),
        (8006, .error), (8007, .error), (8011, .error), (8012, .error), (8015, .error), (8017, .error),
        (8018, .error), (8020, .error), (8106, .error), (8111, .error), (9999, .error),
    ])
    func stateCodeTable(_ code: Int, _ outcome: Outcome) {
        #expect(Outcome(stateCode: code) == outcome)
    }

    @Test func everyDocumentedCodeIsListed() {
        #expect(CallEnding.documentedStateCodes.count == 36)
        #expect(CallEnding.documentedStateCodes.contains(8008))
    }

    @Test(arguments: [
        ("The user releases the call.", 0), ("8101", 8101), ("8102 callee busy", 8102), ("8104: powered off", 8104),
    ])
    func aStateDescThatNamesACodeTells(_ description: String, _ code: Int) {
        #expect(CallEnding.disconnect(stateCode: nil, stateDesc: description)?.stateCode == code)
    }

    @Test(arguments: [nil, "", "Call released.", "12345", "8101abc", "hung up by callee"] as [String?])
    func otherwiseNothingTells(_ description: String?) {
        #expect(CallEnding.disconnect(stateCode: nil, stateDesc: description) == nil)
    }

    @Test func disconnect8008IsAnsweredWithNoDigits() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("answer", session: "S1")); #expect(value == 200) }
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1", stateCode: 8008)); #expect(value == 200) }
        }
        let job = try fixture.job(row)
        #expect(job.state == .completed)
        #expect(job.outcome == .answered)
        #expect(job.stateCode == 8008)
        #expect(job.digits.isEmpty)
        #expect(await fixture.signals.signals == [CallEndSignal(jobRowId: row, sessionId: "S1", outcome: .answered, stateCode: 8008, app: "default")])
    }

    @Test func disconnectWithoutStateCodeThenCDRTakesTheOutcomeFromTheCDR() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1")); #expect(value == 200) }
        }
        // The call is over (its port is free) but the job waits for the CDR.
        var job = try fixture.job(row)
        #expect(job.state == .inCall)
        #expect(job.outcome == nil)
        #expect(job.stateDesc == JobRecord.awaitingFeeRecordDescription)
        #expect(try fixture.database.portHoldingJobRowIds(app: "default").isEmpty)
        #expect(await fixture.signals.signals == [CallEndSignal(jobRowId: row, sessionId: "S1", outcome: nil, stateCode: nil, app: "default")])
        try await fixture.app().test(.router) { client in
            let cdr = CallbackFixture.cdr(session: "S1", answered: false, unanswered: 17)
            let answer = try await client.push("/callspool/fee", CallbackFixture.fee([cdr]), headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(answer.status == 200)
        }
        job = try fixture.job(row)
        #expect(job.state == .completed)
        #expect(job.outcome == .busy)
        #expect(await fixture.signals.signals.last?.outcome == .busy)
    }

    @Test func aCDRStoredBeforeTheCodelessDisconnectStillDecides() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.insertJob("a")
        try fixture.startDispatch(row)
        try await fixture.app().test(.router) { client in
            // Both arrive before the dispatcher stored the sessionId.
            let cdr = CallbackFixture.cdr(session: "S1", answered: true, path: "4")
            _ = try await client.push("/callspool/fee", CallbackFixture.fee([cdr]), headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            _ = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1"))
        }
        try fixture.accept(row, session: "S1")
        let job = try fixture.job(row)
        #expect(job.state == .completed)
        #expect(job.outcome == .answered)
        #expect(job.digits == ["4"])
    }

    @Test func aDisconnectWithAStateCodeStillEndsTheJobAtOnce() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("disconnect", session: "S1", stateCode: 8102)); #expect(value == 200) }
        }
        #expect(try fixture.job(row).state == .completed)
        #expect(try fixture.job(row).outcome == .busy)
    }
}
