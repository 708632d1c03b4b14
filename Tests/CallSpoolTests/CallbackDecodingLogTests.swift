@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HummingbirdTesting
import Logging
import Testing
import VoiceCallAPI

/// What the receiver tolerated is logged, with phone numbers masked inside
/// sessionIds and never the offending value.
@Suite struct CallbackDecodingLogTests {
    @Test func toleratedFieldsAndDroppedCDRsAreLoggedMasked() async throws {
        let fixture = try CallbackFixture()
        let log = CapturedLog()
        let settings = CallbackReceiver.Settings(
            statusURL: try CallbackURL(CallbackFixture.statusURL), feeURL: try CallbackURL(CallbackFixture.feeURL))
        let receiver = try CallbackReceiver(
            database: fixture.database, settings: settings, credentials: CallbackFixture.credentials, clock: fixture.clock,
            logger: log.logger)
        let session = "1201_+8613812345678_20270115@callenabler"
        var cdr = CallbackFixture.cdr(session: session)
        cdr["recordFlag"] = "secret-ish value"
        let bad: [String: Any] = ["sessionId": ["+8613899990000"], "calleeNum": "+8613899990000"]
        let body = CallbackFixture.fee([cdr, bad])
        let app = buildCallbackApplication(receiver: receiver, listen: ListenAddress(host: "127.0.0.1", port: 0), logger: log.logger)
        try await app.test(.router) { client in
            let answer = try await client.push("/callspool/fee", body, headers: CallbackFixture.signedHeaders(url: CallbackFixture.feeURL))
            #expect(answer.status == 200)
            #expect(answer.body["resultcode"] == "0")
        }
        #expect(try fixture.count("cdr") == 1)
        let text = log.messages.joined(separator: "\n")
        #expect(text.contains("feeLst[0].recordFlag"))
        #expect(text.contains("sessionId 1201_+86138****5678_"), "\(text)")
        #expect(text.contains("fee CDR dropped"))
        #expect(text.contains("feeLst[1]"))
        #expect(!text.contains("+8613812345678"))
        #expect(!text.contains("+8613899990000"))
        #expect(!text.contains("secret-ish"))
    }
}
