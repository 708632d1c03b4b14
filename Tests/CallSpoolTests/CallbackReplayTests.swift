@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing
import VoiceCallAPI

/// Callback authenticity (issue 11 item 4): nonces remembered in the store,
/// the prefix forgery, repeated collectInfo.
@Suite struct CallbackReplayTests {
    /// Defect: the nonce cache lived in memory, so after a restart the same
    /// signed header was accepted again (and its digits appended twice).
    @Test func replayAcrossARestartIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/store.sqlite"
        let headers = CallbackFixture.signedHeaders(nonce: "nonce-restart-1")
        do {
            let before = try CallbackFixture(database: try AppDatabase.open(path: path))
            try before.jobInCall("a", session: "S1")
            try await before.app().test(.router) { client in
                let first = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "1"), headers: headers)
                #expect(first == 200)
            }
        }
        // A new receiver on the same store: what `callspool run` is after a restart.
        let after = try CallbackFixture(database: try AppDatabase.open(path: path))
        try await after.app().test(.router) { client in
            let replayed = try await client.pushStatus(CallbackFixture.status("collectInfo", session: "S1", digits: "9"), headers: headers)
            #expect(replayed == 401)
            let fresh = try await client.pushStatus(CallbackFixture.status("answer", session: "S1"))
            #expect(fresh == 200)
        }
        #expect(try after.job(try after.insertJobRow("a")).digits == ["1"])
        #expect(try after.count("callEvent") == 2)
    }

    /// The claim in the event's transaction is the authority: two pushes with
    /// one nonce committed together store once, the other is a replay.
    @Test func oneNonceInOneBatchIsStoredOnce() async throws {
        let fixture = try CallbackFixture()
        let nonce = CallbackNonce(nonce: "n-batch", created: 1_800_000_000, expiresAt: 1_800_000_900, now: 1_800_000_000)
        let event = CallbackEvent.status(.answer, CallStatusInfo(sessionId: "S9"))
        let results = await fixture.database.recordCallbacks([
            .init(event: event, body: "{}", now: CallbackFixture.now, nonce: nonce),
            .init(event: event, body: "{}", now: CallbackFixture.now, nonce: nonce),
        ])
        #expect((try? results[0].get()) != nil)
        #expect(throws: CallbackReplayError.self) { try results[1].get() }
        #expect(try fixture.count("callEvent") == 1)
    }

    /// Nonces are forgotten once no clock reading would accept their
    /// Created: the next batch prunes them, and the nonce may be used again.
    @Test func expiredNoncesArePruned() async throws {
        let fixture = try CallbackFixture()
        let event = CallbackEvent.status(.answer, CallStatusInfo(sessionId: "S9"))
        let old = CallbackNonce(nonce: "n-old", created: 1_000, expiresAt: 2_000, now: 1_000)
        _ = await fixture.database.recordCallbacks([.init(event: event, body: "{}", now: CallbackFixture.now, nonce: old)])
        #expect(try fixture.database.callbackNonceCount() == 1)
        #expect(try await fixture.database.isCallbackNonceLive("n-old", now: 1_500))
        #expect(try await !fixture.database.isCallbackNonceLive("n-old", now: 2_001))
        let later = CallbackNonce(nonce: "n-new", created: 5_000, expiresAt: 6_000, now: 5_000)
        _ = await fixture.database.recordCallbacks([.init(event: event, body: "{}", now: CallbackFixture.now, nonce: later)])
        #expect(try fixture.database.callbackNonceCount() == 1)
        let reused = CallbackNonce(nonce: "n-new", created: 9_000, expiresAt: 10_000, now: 9_000)
        let results = await fixture.database.recordCallbacks([.init(event: event, body: "{}", now: CallbackFixture.now, nonce: reused)])
        #expect((try? results[0].get()) != nil)
    }

    /// The prefix forgery: a no-newline header signed for `/cb/fee` with
    /// Nonce `N2` is the same digest as one for `/cb` with Nonce `/feeN2`.
    /// A receiver built on such paths (start-up refuses them, see
    /// ``CallbackConfigurationTests``) still refuses it by the nonce format.
    @Test func prefixForgeryIsRefusedByTheNonceFormat() async throws {
        let database = try AppDatabase.inMemory()
        let settings = CallbackReceiver.Settings(
            statusURL: try CallbackURL("https://cb.example.com/cb"), feeURL: try CallbackURL("https://cb.example.com/cb/fee"))
        let receiver = try CallbackReceiver(
            database: database, settings: settings, credentials: CallbackFixture.credentials, clock: FixedClock(CallbackFixture.now),
            logger: Logger(label: "test"))
        let created = CivilTime.formatCreated(epochSeconds: Int64(CallbackFixture.now.timeIntervalSince1970))
        let digest = Digest.callback(
            appSecret: CallbackFixture.credentials.appSecret, url: "https://cb.example.com/cb/fee", nonce: "N2", created: created, separated: false)
        // The same bytes under the HMAC: the forgery is a real digest over /cb.
        #expect(digest == Digest.callback(
            appSecret: CallbackFixture.credentials.appSecret, url: "https://cb.example.com/cb", nonce: "/feeN2", created: created, separated: false))
        let headers: HTTPFields = {
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            fields[HTTPField.Name("X-AKSK")!] = RequestSigner.token(
                appKey: CallbackFixture.credentials.appKey, digest: digest, nonce: "/feeN2", created: created)
            return fields
        }()
        let app = buildCallbackApplication(receiver: receiver, listen: ListenAddress(host: "127.0.0.1", port: 0), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let answer = try await client.push("/cb", CallbackFixture.status("disconnect", session: "S1", stateCode: 0), headers: headers)
            #expect(answer.status == 401)
        }
        let stored = try await database.read { db in try db.scalar(Int.self, "SELECT COUNT(*) FROM callEvent") }
        #expect(stored == 0)
    }

    /// Defect: a collectInfo pushed twice (a platform re-push, or a replay
    /// under a fresh nonce) appended its digits twice. Same call, same
    /// content: once. A second key press (another timestamp) still counts.
    @Test func repeatedCollectInfoAppendsItsDigitsOnce() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.jobInCall("a", session: "S1")
        let press = CallbackFixture.status("collectInfo", session: "S1", digits: "1")
        try await fixture.app().test(.router) { client in
            let answer1 = try await client.pushStatus(press)
            #expect(answer1 == 200)
            let answer2 = try await client.pushStatus(press)
            #expect(answer2 == 200)
            let again = press.replacingOccurrences(of: "2027-01-15 08:00:00", with: "2027-01-15 08:00:07")
            #expect(again != press)
            let answer3 = try await client.pushStatus(again)
            #expect(answer3 == 200)
        }
        #expect(try fixture.job(row).digits == ["1", "1"])
        #expect(try fixture.count("callEvent") == 2)
    }

    /// The same when the repeats arrive before the call is known (pending
    /// events applied at acceptance).
    @Test func repeatedCollectInfoBeforeAcceptanceAppendsItsDigitsOnce() async throws {
        let fixture = try CallbackFixture()
        let row = try fixture.insertJob("a")
        try fixture.startDispatch(row)
        let press = CallbackFixture.status("collectInfo", session: "S1", digits: "7")
        try await fixture.app().test(.router) { client in
            let answer4 = try await client.pushStatus(press)
            #expect(answer4 == 200)
            let answer5 = try await client.pushStatus(press)
            #expect(answer5 == 200)
        }
        try fixture.accept(row, session: "S1")
        #expect(try fixture.job(row).digits == ["7"])
    }
}
