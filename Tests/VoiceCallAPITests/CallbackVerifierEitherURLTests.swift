import Foundation
import Testing
@testable import VoiceCallAPI

/// A push's digest may cover any of the configured callback URLs (the
/// reference says the fee URL, for status pushes too); the nonce rules apply
/// once whichever matched.
@Suite struct CallbackVerifierEitherURLTests {
    static let statusURL = Vector.statusURL
    static let feeURL = "https://voice-cb.example.com/callspool/fee"

    @Test(arguments: [true, false])
    func acceptsADigestOverTheFeeURL(separated: Bool) async throws {
        let header = CallbackVerifierTests.header(url: Self.feeURL, separated: separated)
        try await CallbackVerifierTests.verifier().verify(xaksk: header, urls: [Self.statusURL, Self.feeURL])
    }

    @Test func acceptsADigestOverTheStatusURL() async throws {
        let header = CallbackVerifierTests.header(url: Self.statusURL)
        try await CallbackVerifierTests.verifier().verify(xaksk: header, urls: [Self.statusURL, Self.feeURL])
    }

    @Test func rejectsADigestOverAThirdURL() async {
        let header = CallbackVerifierTests.header(url: "https://voice-cb.example.com/callspool/other")
        await #expect(throws: CallbackVerifier.Rejection.badDigest) {
            try await CallbackVerifierTests.verifier().verify(xaksk: header, urls: [Self.statusURL, Self.feeURL])
        }
    }

    @Test func aNonceIsSpentWhicheverURLItWasSignedOver() async throws {
        let verifier = CallbackVerifierTests.verifier()
        try await verifier.verify(xaksk: CallbackVerifierTests.header(url: Self.feeURL), urls: [Self.statusURL, Self.feeURL])
        await #expect(throws: CallbackVerifier.Rejection.replay) {
            try await verifier.verify(xaksk: CallbackVerifierTests.header(url: Self.statusURL), urls: [Self.statusURL, Self.feeURL])
        }
    }

    @Test func everyCandidateIsChecked() {
        let digest = Digest.callback(appSecret: Vector.appSecret, url: Self.feeURL, nonce: "n1", created: Vector.created, separated: false)
        // The match is the last of four candidates.
        #expect(CallbackVerifier.digestMatchesAny(
            digest, secret: Vector.appSecret, urls: [Self.statusURL, Self.feeURL], nonce: "n1", created: Vector.created))
        #expect(!CallbackVerifier.digestMatchesAny(
            digest, secret: Vector.appSecret, urls: [Self.statusURL], nonce: "n1", created: Vector.created))
        #expect(!CallbackVerifier.digestMatchesAny(digest, secret: Vector.appSecret, urls: [], nonce: "n1", created: Vector.created))
    }

    @Test(arguments: [
        ("66C92B11FF8A425FB8D4CCFE0ED9ED1F", true), ("a-b_c", true), (String(repeating: "z", count: 128), true),
        ("", false), (String(repeating: "z", count: 129), false), ("a b", false), ("a/b", false), ("é", false),
    ])
    func nonceFormat(_ nonce: String, _ valid: Bool) {
        #expect(CallbackVerifier.isWellFormedNonce(nonce) == valid)
    }
}
