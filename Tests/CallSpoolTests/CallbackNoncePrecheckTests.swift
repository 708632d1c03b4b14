@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HummingbirdTesting
import Synchronization
import Testing
import VoiceCallAPI

/// The receiver's replay check before a body is read: from memory for the
/// nonces this process committed, from the store for those of an earlier
/// run while they can be live. A refused replay is 401 even when its body
/// is not JSON: the body was never read (read, it would be 400).
@Suite struct CallbackNoncePrecheckTests {
    @Test func aNonceCommittedInThisRunIsRefusedBeforeTheBody() async throws {
        let fixture = try CallbackFixture()
        try fixture.jobInCall("a", session: "S1")
        let headers = CallbackFixture.signedHeaders(nonce: "nonce-same-run")
        try await fixture.app().test(.router) { client in
            let first = try await client.pushStatus(CallbackFixture.status("answer", session: "S1"), headers: headers)
            #expect(first == 200)
            let replayed = try await client.pushStatus("not json", headers: headers)
            #expect(replayed == 401)
        }
        #expect(fixture.receiver.committer.claimed.isLive("nonce-same-run", now: Int64(CallbackFixture.now.timeIntervalSince1970)))
    }

    @Test func aNonceFromBeforeARestartIsRefusedBeforeTheBody() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/store.sqlite"
        let headers = CallbackFixture.signedHeaders(nonce: "nonce-earlier-run")
        do {
            let before = try CallbackFixture(database: try AppDatabase.open(path: path))
            try before.jobInCall("a", session: "S1")
            try await before.app().test(.router) { client in
                let first = try await client.pushStatus(CallbackFixture.status("answer", session: "S1"), headers: headers)
                #expect(first == 200)
            }
        }
        let after = try CallbackFixture(database: try AppDatabase.open(path: path))
        #expect(after.receiver.committer.claimed.count == 0)
        try await after.app().test(.router) { client in
            let replayed = try await client.pushStatus("not json", headers: headers)
            #expect(replayed == 401)
            let fresh = try await client.pushStatus(CallbackFixture.status("alerting", session: "S1"))
            #expect(fresh == 200)
        }
    }

    @Test func theStoreHorizonIsItsLatestNonceExpiry() async throws {
        let fixture = try CallbackFixture()
        #expect(try await fixture.database.latestCallbackNonceExpiry() == nil)
        let event = CallbackEvent.status(.answer, CallStatusInfo(sessionId: "S9"))
        let nonces = [
            CallbackNonce(nonce: "n1", created: 100, expiresAt: 1_000, now: 500),
            CallbackNonce(nonce: "n2", created: 100, expiresAt: 1_200, now: 500),
        ]
        _ = await fixture.database.recordCallbacks(nonces.map { .init(event: event, body: "{}", now: CallbackFixture.now, nonce: $0) })
        #expect(try await fixture.database.latestCallbackNonceExpiry() == 1_200)
    }
}

@Suite struct ClaimedNoncesTests {
    static func nonce(_ value: String, expiresAt: Int64, now: Int64) -> CallbackNonce {
        CallbackNonce(nonce: value, created: now, expiresAt: expiresAt, now: now)
    }

    @Test func aRememberedNonceIsLiveUntilItExpires() {
        let claimed = ClaimedNonces()
        #expect(!claimed.isLive("a", now: 100))
        claimed.remember([Self.nonce("a", expiresAt: 200, now: 100)])
        #expect(claimed.isLive("a", now: 100))
        #expect(claimed.isLive("a", now: 200))
        #expect(!claimed.isLive("a", now: 201))
        #expect(!claimed.isLive("b", now: 100))
    }

    @Test func expiredNoncesAreDroppedAtTheNextPrune() {
        let claimed = ClaimedNonces()
        claimed.remember([Self.nonce("old", expiresAt: 150, now: 100), Self.nonce("long", expiresAt: 10_000, now: 100)])
        #expect(claimed.count == 2)
        // Within a minute of the last prune nothing is dropped…
        claimed.remember([Self.nonce("c", expiresAt: 10_000, now: 151)])
        #expect(claimed.count == 3)
        // …after it, what expired is.
        claimed.remember([Self.nonce("d", expiresAt: 10_000, now: 100 + ClaimedNonces.pruneInterval)])
        #expect(claimed.count == 3)
        #expect(!claimed.isLive("old", now: 100))
        #expect(claimed.isLive("long", now: 5_000))
    }

    @Test func theStoreIsAskedUntilItsHorizonPasses() async {
        let claimed = ClaimedNonces()
        let reads = ReadCounter()
        #expect(await claimed.storeMayHoldOthers(now: 100, readHorizon: { reads.read(500) }))
        #expect(await claimed.storeMayHoldOthers(now: 500, readHorizon: { reads.read(500) }))
        #expect(!(await claimed.storeMayHoldOthers(now: 501, readHorizon: { reads.read(500) })))
        #expect(reads.count == 1, "the horizon is read once")
    }

    @Test func anEmptyStoreIsNeverAskedAgain() async {
        let claimed = ClaimedNonces()
        #expect(!(await claimed.storeMayHoldOthers(now: 100, readHorizon: { nil })))
    }

    @Test func aFailedHorizonReadMeansAskingTheStoreAndReadingItAgain() async {
        struct Unreadable: Error {}
        let claimed = ClaimedNonces()
        #expect(await claimed.storeMayHoldOthers(now: 100, readHorizon: { throw Unreadable() }))
        #expect(!(await claimed.storeMayHoldOthers(now: 100, readHorizon: { 50 })))
    }
}

/// Counts horizon reads (the closure must be Sendable-free of captured vars).
final class ReadCounter: Sendable {
    private let reads = Mutex(0)
    var count: Int { reads.withLock { $0 } }
    func read(_ horizon: Int64) -> Int64? {
        reads.withLock { $0 += 1 }
        return horizon
    }
}

/// Call ends are handed over in batches, one ring per batch.
@Suite struct CallEndRelayTests {
    static func signal(_ id: Int64) -> CallEndSignal {
        CallEndSignal(jobRowId: id, sessionId: "S\(id)", outcome: .answered, stateCode: 0)
    }

    @Test func signalsSentBeforeATakeAreTakenTogetherAfterOneRing() async {
        let relay = CallEndRelay()
        relay.send(Self.signal(1))
        relay.send(Self.signal(2))
        relay.send([Self.signal(3)])
        var arrivals = relay.arrivals.makeAsyncIterator()
        #expect(await arrivals.next() != nil)
        #expect(relay.take().map(\.jobRowId) == [1, 2, 3])
        #expect(relay.take().isEmpty)
        relay.send(Self.signal(4))
        relay.finish()
        #expect(await arrivals.next() != nil, "a send after a take rings again")
        #expect(relay.take().map(\.jobRowId) == [4])
        #expect(await arrivals.next() == nil, "no ring left once everything was taken")
    }

    @Test func theCommitterHandsOnTheCallsItsBatchEndedBeforeAnswering() async throws {
        let fixture = try CallbackFixture()
        let rowID = try fixture.jobInCall("a", session: "S1")
        let log = SignalLog()
        let committer = CallbackCommitter(database: fixture.database, onCallEnded: { log.append($0) })
        let disconnect = CallbackEvent.status(.disconnect, CallStatusInfo(sessionId: "S1", stateCode: 0, stateDesc: "released"))
        let commit = try await committer.commit(.init(event: disconnect, body: "{}", now: CallbackFixture.now)).get()
        #expect(commit.signals.map(\.jobRowId) == [rowID])
        #expect(await log.signals.map(\.jobRowId) == [rowID])
    }
}
