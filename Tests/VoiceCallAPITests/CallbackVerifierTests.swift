import Foundation
import Testing
@testable import VoiceCallAPI

/// Inbound push verification (docs/callbacks.md), on a fixed clock: no sleeping.
@Suite struct CallbackVerifierTests {
    /// Now is 2018-02-12T07:30:20Z (real UTC).
    static let now = Int64(Vector.instant)

    static func verifier(cache: NonceReplayCache = NonceReplayCache()) -> CallbackVerifier {
        CallbackVerifier(credentials: Vector.credentials, clock: FixedClock(epochSeconds: Vector.instant), replayCache: cache)
    }

    /// A signed X-AKSK header for a push to `url`.
    static func header(
        created: String = Vector.created, nonce: String = Vector.nonce, url: String = Vector.statusURL,
        separated: Bool = true, appKey: String = Vector.appKey, secret: String = Vector.appSecret
    ) -> String {
        let digest = Digest.callback(appSecret: secret, url: url, nonce: nonce, created: created, separated: separated)
        return RequestSigner.token(appKey: appKey, digest: digest, nonce: nonce, created: created)
    }

    static func created(_ epoch: Int64) -> String { CivilTime.formatCreated(epochSeconds: epoch) }

    @Test func acceptsThePythonVectorWithLineBreaks() async throws {
        // The digest python computed, not one computed by the code under test.
        let header = RequestSigner.token(
            appKey: Vector.appKey, digest: SigningVectorTests.callbackDigestSeparated, nonce: Vector.nonce,
            created: Vector.created)
        try await Self.verifier().verify(xaksk: header, url: Vector.statusURL)
    }

    @Test func acceptsThePythonVectorWithoutLineBreaks() async throws {
        let header = RequestSigner.token(
            appKey: Vector.appKey, digest: SigningVectorTests.callbackDigestJoined, nonce: Vector.nonce,
            created: Vector.created)
        try await Self.verifier().verify(xaksk: header, url: Vector.statusURL)
    }

    @Test func acceptsTheHeaderWithBlanksAfterCommas() async throws {
        let digest = SigningVectorTests.callbackDigestSeparated
        let header = #"UsernameToken Username="\#(Vector.appKey)", PasswordDigest="\#(digest)", Nonce="\#(Vector.nonce)", Created="\#(Vector.created)""#
        try await Self.verifier().verify(xaksk: header, url: Vector.statusURL)
    }

    @Test(arguments: [
        // signed with another secret
        CallbackVerifierTests.header(secret: "wrong-secret"),
        // signed for the fee URL, pushed to the status URL
        CallbackVerifierTests.header(url: "https://voice-cb.example.com/callspool/fee"),
        // the outbound formula (no URL) is not a callback signature
        RequestSigner.token(
            appKey: Vector.appKey, digest: SigningVectorTests.akskDigest, nonce: Vector.nonce, created: Vector.created),
        // garbage digest
        RequestSigner.token(appKey: Vector.appKey, digest: "AAAA", nonce: Vector.nonce, created: Vector.created),
        RequestSigner.token(appKey: Vector.appKey, digest: "%%%", nonce: Vector.nonce, created: Vector.created),
    ])
    func rejectsABadDigest(header: String) async {
        await #expect(throws: CallbackVerifier.Rejection.badDigest) {
            try await Self.verifier().verify(xaksk: header, url: Vector.statusURL)
        }
    }

    @Test func rejectsADigestWhoseCreatedWasAltered() async {
        let original = Self.header()
        let altered = original.replacingOccurrences(of: Vector.created, with: "2018-02-12T15:30:21Z")
        #expect(altered != original)
        await #expect(throws: CallbackVerifier.Rejection.badDigest) {
            try await Self.verifier().verify(xaksk: altered, url: Vector.statusURL)
        }
    }

    @Test(arguments: [nil, ""] as [String?])
    func rejectsAMissingHeader(header: String?) async {
        await #expect(throws: CallbackVerifier.Rejection.missingHeader) {
            try await Self.verifier().verify(xaksk: header, url: Vector.statusURL)
        }
    }

    @Test(arguments: [
        "Basic dXNlcjpwYXNz",
        #"Username="ZRBZRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="Uyq67iGU4cg4p/R5gHea3SL7tJ5f0wnDrp5qUhBASRw=",Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F",Created="2018-02-12T15:30:20Z""#,
        #"UsernameToken Username="ZRBZRz4bAXoFgEH7o4Ew308eXc1RA",Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F",Created="2018-02-12T15:30:20Z""#,
        #"UsernameToken Username="ZRBZRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="Uyq67iGU4cg4p/R5gHea3SL7tJ5f0wnDrp5qUhBASRw=",Created="2018-02-12T15:30:20Z""#,
        #"UsernameToken Username="ZRBZRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="Uyq67iGU4cg4p/R5gHea3SL7tJ5f0wnDrp5qUhBASRw=",Nonce="",Created="2018-02-12T15:30:20Z""#,
        #"UsernameToken Username="ZRBZRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="Uyq67iGU4cg4p/R5gHea3SL7tJ5f0wnDrp5qUhBASRw=",Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F""#,
    ])
    func rejectsAMalformedHeader(header: String) async {
        await #expect(throws: CallbackVerifier.Rejection.malformedHeader) {
            try await Self.verifier().verify(xaksk: header, url: Vector.statusURL)
        }
    }

    @Test func rejectsAnotherAppKey() async {
        let header = Self.header(appKey: "SomeoneElsesAppKey")
        await #expect(throws: CallbackVerifier.Rejection.wrongAppKey) {
            try await Self.verifier().verify(xaksk: header, url: Vector.statusURL)
        }
    }

    @Test func rejectsAnUnreadableCreated() async {
        let header = Self.header(created: "yesterday")
        await #expect(throws: CallbackVerifier.Rejection.stale) {
            try await Self.verifier().verify(xaksk: header, url: Vector.statusURL)
        }
    }

    /// Offsets from now, in seconds, that are within ±15 min.
    static let inside: [Int64] = [0, 1, -1, 600, -600, 899, -899, 900, -900]
    /// Offsets that are not.
    static let outside: [Int64] = [901, -901, 3600, -3600, 4 * 3600, -4 * 3600, 86_400]

    @Test(arguments: inside, [CreatedClock.utc, .utcPlus8])
    func acceptsCreatedWithinTheWindow(offset: Int64, reading: CreatedClock) async throws {
        let created = Self.created(Self.now + reading.offsetSeconds + offset)
        try await Self.verifier().verify(xaksk: Self.header(created: created), url: Vector.statusURL)
    }

    @Test(arguments: outside, [CreatedClock.utc, .utcPlus8])
    func rejectsCreatedOutsideTheWindow(offset: Int64, reading: CreatedClock) async {
        let created = Self.created(Self.now + reading.offsetSeconds + offset)
        await #expect(throws: CallbackVerifier.Rejection.stale) {
            try await Self.verifier().verify(xaksk: Self.header(created: created), url: Vector.statusURL)
        }
    }

    @Test func rejectsAReplayedNonce() async throws {
        let verifier = Self.verifier()
        let header = Self.header()
        try await verifier.verify(xaksk: header, url: Vector.statusURL)
        await #expect(throws: CallbackVerifier.Rejection.replay) {
            try await verifier.verify(xaksk: header, url: Vector.statusURL)
        }
        // The same nonce with the other digest variant is a replay too.
        await #expect(throws: CallbackVerifier.Rejection.replay) {
            try await verifier.verify(xaksk: Self.header(separated: false), url: Vector.statusURL)
        }
        // A fresh nonce is fine.
        try await verifier.verify(xaksk: Self.header(nonce: "0123456789ABCDEF0123456789ABCDEF"), url: Vector.statusURL)
    }

    @Test func aReplayIsStillRefusedLaterInTheWindow() async throws {
        let cache = NonceReplayCache()
        let header = Self.header(created: Self.created(Self.now))
        try await Self.verifier(cache: cache).verify(xaksk: header, url: Vector.statusURL)
        var later = Self.verifier(cache: cache)
        later.clock = FixedClock(epochSeconds: Vector.instant + 899)
        await #expect(throws: CallbackVerifier.Rejection.replay) {
            try await later.verify(xaksk: header, url: Vector.statusURL)
        }
    }

    @Test func evictionRaisesTheFloorSoOlderCreatedIsRefused() async throws {
        let cache = NonceReplayCache(capacity: 2)
        let verifier = Self.verifier(cache: cache)
        let base = Self.now - 300
        for (index, offset) in [Int64(0), 10, 20].enumerated() {
            let header = Self.header(created: Self.created(base + offset), nonce: "N\(index)")
            try await verifier.verify(xaksk: header, url: Vector.statusURL)
        }
        #expect(await cache.count == 2)
        // N0 was evicted; a push signed before N0's Created could be a forgotten replay.
        let older = Self.header(created: Self.created(base - 1), nonce: "fresh-but-older")
        await #expect(throws: CallbackVerifier.Rejection.replay) {
            try await verifier.verify(xaksk: older, url: Vector.statusURL)
        }
        // Newer than the floor is still accepted.
        let newer = Self.header(created: Self.created(base + 15), nonce: "fresh-and-newer")
        try await verifier.verify(xaksk: newer, url: Vector.statusURL)
    }
}

@Suite struct NonceReplayCacheTests {
    @Test func aNonceIsRefusedUntilItExpires() async {
        let cache = NonceReplayCache()
        #expect(await cache.insert("a", created: 100, expiresAt: 1000, now: 100))
        #expect(await !cache.insert("a", created: 100, expiresAt: 1000, now: 500))
        #expect(await !cache.insert("a", created: 100, expiresAt: 1000, now: 1000))
        #expect(await cache.insert("b", created: 100, expiresAt: 1000, now: 500))
        #expect(await cache.count == 2)
        // After expiry the entry is forgotten (the verifier's window refuses it anyway).
        #expect(await cache.insert("a", created: 100, expiresAt: 3000, now: 1001))
    }

    @Test func expiredEntriesArePurged() async {
        let cache = NonceReplayCache()
        for index in 0..<10 {
            #expect(await cache.insert("n\(index)", created: Int64(index), expiresAt: Int64(100 + index), now: 0))
        }
        #expect(await cache.count == 10)
        #expect(await cache.insert("late", created: 200, expiresAt: 2000, now: 105))
        // n0…n4 expired before 105 and were dropped.
        #expect(await cache.count == 6)
    }

    @Test func capacityEvictionSetsTheFloor() async {
        let cache = NonceReplayCache(capacity: 3)
        #expect(await cache.floor == .min)
        for (index, created) in [Int64(10), 20, 30, 40].enumerated() {
            #expect(await cache.insert("n\(index)", created: created, expiresAt: 10_000, now: 50))
        }
        #expect(await cache.count == 3)
        #expect(await cache.floor == 10)
        #expect(await !cache.insert("older", created: 9, expiresAt: 10_000, now: 50))
        #expect(await cache.insert("same-second", created: 10, expiresAt: 10_000, now: 50))
        #expect(await cache.floor == 20)
    }

    @Test func capacityIsAtLeastOne() async {
        let cache = NonceReplayCache(capacity: 0)
        #expect(await cache.capacity == 1)
    }
}
