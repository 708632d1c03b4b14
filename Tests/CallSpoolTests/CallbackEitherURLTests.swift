@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VoiceCallAPI

/// Issue 18 item 2: the reference says every push's digest covers the
/// customer's fee URL, status events included. A digest over either
/// configured URL is accepted, for both kinds of push; nothing else is, and
/// the nonce rules still hold.
@Suite struct CallbackEitherURLTests {
    @Test func statusPushSignedOverTheFeeURLIsStored() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            for separated in [true, false] {
                let headers = CallbackFixture.signedHeaders(url: CallbackFixture.feeURL, separated: separated)
                let answer = try await client.push(
                    "/callspool/status", CallbackFixture.status("collectInfo", session: "S1", digits: separated ? "1" : "2"),
                    headers: headers)
                #expect(answer.status == 200, "separated: \(separated)")
            }
            let disconnect = try await client.push(
                "/callspool/status", CallbackFixture.status("disconnect", session: "S1", stateCode: 0),
                headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(disconnect.status == 200)
        }
        #expect(try fixture.count("callEvent") == 3)
        let job = try fixture.job(row)
        #expect(job.state == .completed)
        #expect(job.outcome == .answered)
        #expect(job.digits == ["1", "2"])
    }

    @Test(arguments: [
        "https://cb.example.com/callspool/other",
        "https://evil.example.com/callspool/fee",
        "https://cb.example.com/callspool/fee/",
        "http://cb.example.com/callspool/fee",
    ])
    func pushSignedOverAThirdURLIsRefused(_ url: String) async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        let before = try fixture.job(row)
        try await fixture.app().test(.router) { client in
            let status = try await client.push(
                "/callspool/status", CallbackFixture.status("disconnect", session: "S1", stateCode: 0),
                headers: CallbackFixture.signedHeaders(url: url))
            #expect(status.status == 401)
            let fee = try await client.push(
                "/callspool/fee", CallbackFixture.fee([CallbackFixture.cdr(session: "S1")]),
                headers: CallbackFixture.signedHeaders(url: url))
            #expect(fee.status == 401)
        }
        #expect(try fixture.count("callEvent") == 0)
        #expect(try fixture.count("cdr") == 0)
        #expect(try fixture.job(row) == before)
    }

    @Test func aNonceUsedOverTheFeeURLCannotBeReplayedOverEither() async throws {
        let fixture = try CallbackFixture()
        try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            let first = CallbackFixture.signedHeaders(url: CallbackFixture.feeURL, nonce: "nonce-either-1")
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "1"), headers: first); #expect(value == 200) }
            // The same header again, and the same nonce signed over the other URL.
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "2"), headers: first); #expect(value == 401) }
            let other = CallbackFixture.signedHeaders(url: CallbackFixture.statusURL, nonce: "nonce-either-1")
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "3"), headers: other); #expect(value == 401) }
            let fee = try await client.push("/callspool/fee", CallbackFixture.fee([CallbackFixture.cdr(session: "S1")]), headers: first)
            #expect(fee.status == 401)
        }
        #expect(try fixture.count("callEvent") == 1)
        #expect(try fixture.count("cdr") == 0)
    }

    @Test(arguments: ["has space", "semi;colon", String(repeating: "a", count: 129), "ümlaut"])
    func aMalformedNonceIsRefused(_ nonce: String) async throws {
        let fixture = try CallbackFixture()
        try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            // Signed over the URL it is posted to: only the nonce is wrong.
            let headers = CallbackFixture.signedHeaders(url: CallbackFixture.statusURL, nonce: nonce)
            let value = try await client.pushStatus(CallbackFixture.status("answer", session: "S1"), headers: headers)
            #expect(value == 401)
        }
        #expect(try fixture.count("callEvent") == 0)
    }
}
