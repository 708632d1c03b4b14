@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI

/// Bad bodies are refused without touching the store; mapping rules.
@Suite struct CallbackLimitsTests {
    /// Only a body that is not JSON or has no eventType is refused (400).
    @Test(arguments: [
        "{not json",
        "",
        "[1,2]",
        #"{"statusInfo":{"sessionId":"S1"}}"#,
        #"{"eventType":null,"statusInfo":{"sessionId":"S1"}}"#,
        #"{"eventType":"","feeLst":[]}"#,
    ])
    func malformedBodyIs400AndStoredNowhere(_ body: String) async throws {
        let fixture = try CallbackFixture()
        try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            let answer = try await client.push("/callspool/status", body, headers: CallbackFixture.signedHeaders())
            #expect(answer.status == 400)
        }
        #expect(try fixture.count("callEvent") == 0)
        #expect(try fixture.count("cdr") == 0)
    }

    @Test func bodyOverOneMebibyteIs413() async throws {
        let fixture = try CallbackFixture()
        try fixture.jobInCall("a", session: "S1")
        let padding = String(repeating: "x", count: 1 << 20)
        let body = #"{"eventType":"collectInfo","statusInfo":{"sessionId":"S1","digitInfo":"1","pad":"\#(padding)"}}"#
        try await fixture.app().test(.router) { client in
            let answer = try await client.push("/callspool/status", body, headers: CallbackFixture.signedHeaders())
            #expect(answer.status == 413)
        }
        #expect(try fixture.count("callEvent") == 0)
    }

    @Test func otherPathsAndMethodsAreNotServed() async throws {
        let fixture = try CallbackFixture()
        try await fixture.app().test(.router) { client in
            let other = try await client.push("/elsewhere", CallbackFixture.status("answer", session: "S1"), headers: CallbackFixture.signedHeaders())
            #expect(other.status == 404)
            let get = try await client.execute(uri: "/callspool/status", method: .get) { Int($0.status.code) }
            #expect(get != 200)
        }
        #expect(try fixture.count("callEvent") == 0)
    }

    @Test func cdrOutcomeMapping() {
        func ending(answered: Bool = false, unanswered: Int? = nil, fail: Int? = nil) -> CallEnding {
            var record = FeeRecord(sessionId: "S")
            if answered { record.callOutAnswerTime = "2027-01-15 08:00:10" }
            record.callOutUnaswRsn = unanswered
            record.ulFailReason = fail
            return CallEnding.feeRecord(record)
        }
        #expect(ending(answered: true).outcome == .answered)
        #expect(ending(fail: 8104).outcome == .poweredOff)
        #expect(ending(fail: 7109) == CallEnding(outcome: .throttled, stateCode: 7109, stateDesc: ending(fail: 7109).stateDesc))
        #expect(ending(fail: 522).stateCode == 7109)
        #expect(ending(unanswered: 17, fail: 518).outcome == .busy)
        #expect(ending(unanswered: 18).outcome == .noAnswer)
        #expect(ending(unanswered: 20).outcome == .poweredOff)
        #expect(ending(unanswered: 21).outcome == .rejected)
        #expect(ending(unanswered: 1).outcome == .unreachable)
        #expect(ending(unanswered: 111).outcome == .error)
        #expect(ending(fail: 514).outcome == .noAnswer)
        #expect(ending(fail: 486).outcome == .busy)
        #expect(ending(fail: 603).outcome == .rejected)
        #expect(ending().outcome == .noAnswer)
        // A disconnect without stateCode leaves the outcome to the CDR.
        #expect(CallEnding.disconnect(stateCode: nil, stateDesc: nil) == nil)
    }

    @Test func logPreviewMasksPhoneNumbers() {
        let text = LogRedaction.preview(Array(#"{"called":"+8613800000021","n":42}"#.utf8))
        #expect(text == #"{"called":"+86138****0021","n":42}"#)
    }

    @Test func userDataTagParsesOnlyCallspoolTags() {
        #expect(UserDataTag("cs1.42.3") == UserDataTag(jobRowId: 42, attempt: 3))
        #expect(UserDataTag("cs1.42") == nil)
        #expect(UserDataTag("cs2.42.3") == nil)
        #expect(UserDataTag("cs1.x.3") == nil)
        #expect(UserDataTag(nil) == nil)
    }
}
