@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI

/// Issue 18 item 3: the receiver decodes per field. A documented string enum
/// (`partyType`) is a string; a malformed optional field is ignored; one bad
/// CDR does not cost the others; only non-JSON or a body without eventType
/// is refused.
@Suite struct CallbackLenientReceiverTests {
    @Test func disconnectWithPartyTypeCalleeIsStoredAndCompletes() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        let body = #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","timestamp":"2027-01-15 08:01:00","caller":"+8675528000088","called":"+8613800000001","partyType":"callee","stateCode":0,"stateDesc":"The user releases the call."}}"#
        try await fixture.app().test(.router) { client in
            let answer = try await client.push("/callspool/status", body, headers: CallbackFixture.signedHeaders())
            #expect(answer.status == 200)
        }
        #expect(try fixture.count("callEvent") == 1)
        let job = try fixture.job(row)
        #expect(job.state == .completed)
        #expect(job.outcome == .answered)
    }

    @Test func feePushWithPartyTypeCalleeIsStored() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        var cdr = CallbackFixture.cdr(session: "S1")
        cdr["partyType"] = "callee"
        let body = CallbackFixture.fee([cdr])
        try await fixture.app().test(.router) { client in
            let answer = try await client.push("/callspool/fee", body, headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(answer.status == 200)
            #expect(answer.body["resultcode"] == "0")
        }
        #expect(try fixture.count("cdr") == 1)
        #expect(try fixture.job(row).outcome == .answered)
    }

    @Test func feePushWithOneMalformedCDRAmongThreeStoresTheOthers() async throws {
        let fixture = try CallbackFixture()
        let first = try fixture.jobInCall("a", session: "S1")
        let third = try fixture.jobInCall("c", session: "S3")
        let bad: [String: Any] = ["callerNum": "+8613800000002", "sessionId": ["not": "a string"], "callOutAnswerTime": "2027-01-15 08:00:10"]
        let body = CallbackFixture.fee([CallbackFixture.cdr(session: "S1"), bad, CallbackFixture.cdr(session: "S3", answered: false, unanswered: 17)])
        try await fixture.app().test(.router) { client in
            let answer = try await client.push("/callspool/fee", body, headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(answer.status == 200)
            #expect(answer.body == ["resultcode": "0", "resultdesc": "Success"])
        }
        #expect(try fixture.count("cdr") == 2)
        #expect(try fixture.job(first).outcome == .answered)
        #expect(try fixture.job(third).outcome == .busy)
        // Each stored CDR keeps its own element of the push as sent, not the whole push.
        let raw = try await fixture.database.read { db in try db.column(String.self, "SELECT raw FROM cdr ORDER BY sessionId") }
        #expect(raw.count == 2)
        for (text, session) in zip(raw, ["S1", "S3"]) {
            #expect(text.hasPrefix("{") && text.hasSuffix("}") && body.contains(text) && text != body, "\(text)")
            #expect(text.contains("\"\(session)\"") && !text.contains("feeLst"), "\(text)")
        }
    }

    @Test func cdrWithMalformedOptionalFieldsIsStoredWithoutThem() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        var cdr = CallbackFixture.cdr(session: "S1", answered: false, unanswered: 17)
        cdr["recordFlag"] = "yes"
        cdr["ulFailReason"] = ["x": 1]
        cdr["ttsPlayTimes"] = 1.5
        cdr["direction"] = "outbound"
        let body = CallbackFixture.fee([cdr])
        try await fixture.app().test(.router) { client in
            let answer = try await client.push("/callspool/fee", body, headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(answer.status == 200)
            #expect(answer.body["resultcode"] == "0")
        }
        #expect(try fixture.count("cdr") == 1)
        #expect(try fixture.job(row).outcome == .busy)
    }

    @Test func malformedStateCodeReadsAsAbsent() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        let body = #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateCode":"n/a"}}"#
        try await fixture.app().test(.router) { client in
            let status = try await client.pushStatus(body)
            #expect(status == 200)
        }
        #expect(try fixture.count("callEvent") == 1)
        // Without a usable stateCode the outcome waits for the CDR.
        #expect(try fixture.job(row).state == .inCall)
        #expect(try fixture.job(row).outcome == nil)
    }

    @Test(arguments: [
        #"{"eventType":"hangup","statusInfo":{"sessionId":"S1"}}"#,
        #"{"eventType":"disconnect"}"#,
        #"{"eventType":"answer","statusInfo":{"called":"+8613800000001"}}"#,
        #"{"eventType":"fee","feeLst":[{"callerNum":"+8613800000001"}]}"#,
        #"{"eventType":"fee","feeLst":{"sessionId":"S1"}}"#,
    ])
    func unmatchablePushIsAnsweredSuccessAndStoredNowhere(_ body: String) async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        let before = try fixture.job(row)
        try await fixture.app().test(.router) { client in
            let answer = try await client.push("/callspool/fee", body, headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(answer.status == 200)
            #expect(answer.body["resultcode"] == "0")
        }
        #expect(try fixture.count("callEvent") == 0)
        #expect(try fixture.count("cdr") == 0)
        #expect(try fixture.job(row) == before)
    }

    @Test(arguments: ["<xml/>", "{\"eventType\":", #"{"statusInfo":{"sessionId":"S1"},"feeLst":[]}"#])
    func nonJSONOrMissingEventTypeIs400(_ body: String) async throws {
        let fixture = try CallbackFixture()
        try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            let answer = try await client.push("/callspool/status", body, headers: CallbackFixture.signedHeaders())
            #expect(answer.status == 400)
        }
        #expect(try fixture.count("callEvent") == 0)
    }
}
