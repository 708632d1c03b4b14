@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VoiceCallAPI

/// X-AKSK on inbound pushes: authentic ones are stored, every forgery gets 401
/// and changes nothing.
@Suite struct CallbackAuthTests {
    @Test func signedEventIsStoredWithBothDigestVariants() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        let callout = CallbackFixture.status("callout", session: "S1", userData: "cs1.\(row).1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(callout); #expect(value == 200) }
            let joined = CallbackFixture.signedHeaders(separated: false)
            do { let value = try await client.pushStatus(CallbackFixture.status("answer", session: "S1"), headers: joined); #expect(value == 200) }
            // Created in UTC+8 (the reference's convention) is accepted too.
            let beijing = CallbackFixture.signedHeaders(created: CallbackFixture.now.addingTimeInterval(8 * 3600))
            do { let value = try await client.pushStatus(CallbackFixture.status("alerting", session: "S1"), headers: beijing); #expect(value == 200) }
        }
        #expect(try fixture.count("callEvent") == 3)
    }

    @Test func feePushIsAcceptedSignedOverEitherConfiguredURL() async throws {
        let fixture = try CallbackFixture()
        try fixture.jobInCall("a", session: "S1")
        try fixture.jobInCall("b", session: "S2")
        try await fixture.app().test(.router) { client in
            let overStatus = try await client.push(
                "/callspool/fee", CallbackFixture.fee([CallbackFixture.cdr(session: "S1")]),
                headers: CallbackFixture.signedHeaders(url: CallbackFixture.statusURL))
            #expect(overStatus.status == 200)
            let overFee = try await client.push(
                "/callspool/fee", CallbackFixture.fee([CallbackFixture.cdr(session: "S2")]),
                headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(overFee.status == 200)
            #expect(overFee.body == ["resultcode": "0", "resultdesc": "Success"])
        }
        #expect(try fixture.count("cdr") == 2)
    }

    static let forgeries: [(String, HTTPFields)] = [
        ("missing", HTTPFields([HTTPField(name: .contentType, value: "application/json")])),
        ("wrong secret", CallbackFixture.signedHeaders(secret: "not-the-secret")),
        ("other URL", CallbackFixture.signedHeaders(url: "https://evil.example.com/callspool/status")),
        ("other app key", CallbackFixture.signedHeaders(appKey: "someone-else")),
        ("stale", CallbackFixture.signedHeaders(created: CallbackFixture.now.addingTimeInterval(-3 * 3600))),
        ("garbage", {
            var fields = HTTPFields()
            if let name = HTTPField.Name("X-AKSK") { fields[name] = "UsernameToken Username=\"x\"" }
            return fields
        }()),
    ]

    @Test(arguments: forgeries)
    func forgedEventIsRefusedAndChangesNothing(_ name: String, _ headers: HTTPFields) async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        let before = try fixture.job(row)
        try await fixture.app().test(.router) { client in
            let answer = try await client.push("/callspool/status", CallbackFixture.status("disconnect", session: "S1", stateCode: 0), headers: headers)
            #expect(answer.status == 401, "\(name)")
            let fee = try await client.push("/callspool/fee", CallbackFixture.fee([CallbackFixture.cdr(session: "S1")]), headers: headers)
            #expect(fee.status == 401, "\(name)")
        }
        #expect(try fixture.count("callEvent") == 0)
        #expect(try fixture.count("cdr") == 0)
        #expect(try fixture.job(row) == before)
        #expect(await fixture.signals.signals.isEmpty)
    }

    @Test func replayedNonceIsRefused() async throws {
        let fixture = try CallbackFixture()
        try fixture.jobInCall("a", session: "S1")
        let headers = CallbackFixture.signedHeaders(nonce: "nonce-1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "1"), headers: headers); #expect(value == 200) }
            do { let value = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "2"), headers: headers); #expect(value == 401) }
        }
        #expect(try fixture.count("callEvent") == 1)
        #expect(try fixture.job(try fixture.insertJobRow("a")).digits == ["1"])
    }

    @Test func verificationOffAcceptsUnsignedPushes() async throws {
        let fixture = try CallbackFixture(verifySignatures: false)
        try fixture.jobInCall("a", session: "S1")
        try await fixture.app().test(.router) { client in
            do { let value = try await client.pushStatus(CallbackFixture.status("answer", session: "S1"), headers: HTTPFields()); #expect(value == 200) }
        }
        #expect(try fixture.count("callEvent") == 1)
    }

    @Test func verificationWithoutSecretRefusesToStart() throws {
        let settings = CallbackReceiver.Settings(
            statusURL: try CallbackURL(CallbackFixture.statusURL), feeURL: try CallbackURL(CallbackFixture.feeURL))
        #expect(throws: CallbackReceiverError.self) {
            _ = try CallbackReceiver(
                database: try AppDatabase.inMemory(), settings: settings, credentials: nil, clock: FixedClock(CallbackFixture.now),
                logger: .init(label: "test"))
        }
    }
}

extension CallbackFixture {
    func insertJobRow(_ id: String) throws -> Int64 {
        try database.read { db in try db.scalar(Int64.self, "SELECT id FROM job WHERE jobId = ?", [id]) }.orThrow()
    }
}
