import Foundation
import Testing
@testable import VoiceCallAPI

/// Several applications share the callback URLs: a push is checked against
/// every configured secret and the verifier says whose secret signed it.
@Suite struct CallbackVerifierKeyringTests {
    static let other = AppCredentials(appKey: "OtherAppKey0002", appSecret: "other-secret")

    static func verifier() -> CallbackVerifier {
        CallbackVerifier(keyring: [Vector.credentials, other], clock: FixedClock(epochSeconds: Vector.instant))
    }

    @Test(arguments: [Vector.credentials, other])
    func aPushSignedByEitherApplicationPassesAndNamesIt(credentials: AppCredentials) throws {
        let header = CallbackVerifierTests.header(appKey: credentials.appKey, secret: credentials.appSecret)
        let nonce = try Self.verifier().authenticate(xaksk: header, urls: [Vector.statusURL])
        #expect(nonce.appKey == credentials.appKey)
    }

    @Test func anotherApplicationsSecretUnderThisAppKeyIsABadDigest() {
        let header = CallbackVerifierTests.header(appKey: Vector.appKey, secret: Self.other.appSecret)
        #expect(throws: CallbackVerifier.Rejection.badDigest) { try Self.verifier().authenticate(xaksk: header, urls: [Vector.statusURL]) }
    }

    @Test func anAppKeyNoApplicationHasIsRefused() {
        let header = CallbackVerifierTests.header(appKey: "StrangerKey", secret: Self.other.appSecret)
        #expect(throws: CallbackVerifier.Rejection.wrongAppKey) { try Self.verifier().authenticate(xaksk: header, urls: [Vector.statusURL]) }
    }

    @Test func aSecretNoApplicationHasIsABadDigest() {
        let header = CallbackVerifierTests.header(appKey: Self.other.appKey, secret: "guessed")
        #expect(throws: CallbackVerifier.Rejection.badDigest) { try Self.verifier().authenticate(xaksk: header, urls: [Vector.statusURL]) }
    }
}
