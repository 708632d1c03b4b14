import Foundation
import Testing
@testable import VoiceCallAPI

/// Digests cross-checked against python3's hmac/hashlib/base64 (computed once, kept as literals).
@Suite struct SigningVectorTests {
    // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"Q4Y7rL1b9Xv2Kp8Tn3Wm5Zs6", b"66C92B11FF8A425FB8D4CCFE0ED9ED1F"+b"2018-02-12T15:30:20Z", hashlib.sha256).digest()).decode())'
    static let akskDigest = "C2FSSlWfcnqcfU7SDYY1mGj7u3qAVJSRf9NqCV0/ChQ="
    // Same with Created "2018-02-12T07:30:20Z" (the instant read in UTC):
    // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"Q4Y7rL1b9Xv2Kp8Tn3Wm5Zs6", b"66C92B11FF8A425FB8D4CCFE0ED9ED1F"+b"2018-02-12T07:30:20Z", hashlib.sha256).digest()).decode())'
    static let akskDigestUTC = "ovsINkM+tJOodgbRqdC41KVOIRIk7qzMdP7o3QQw1/w="
    // As buildWSSEHeader in sample-python-click2call-and-callbacks.txt:
    // python3 -c 'import hashlib,base64; print(base64.b64encode(hashlib.sha256(("66C92B11FF8A425FB8D4CCFE0ED9ED1F"+"2018-02-12T15:30:20Z"+"Q4Y7rL1b9Xv2Kp8Tn3Wm5Zs6").encode()).hexdigest().encode()).decode())'
    static let wsseDigest = "ODU3NDk3ODM0YWJhOTM2MTgxY2FiM2FiYzhkMzdmZGNhZjhiN2YyMTZkYWZmZWNiYWUzODllODA4ZTcxZTg1Mw=="
    // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"Q4Y7rL1b9Xv2Kp8Tn3Wm5Zs6", ("https://voice-cb.example.com/callspool/status"+"\n"+"66C92B11FF8A425FB8D4CCFE0ED9ED1F"+"\n"+"2018-02-12T15:30:20Z").encode(), hashlib.sha256).digest()).decode())'
    static let callbackDigestSeparated = "Uyq67iGU4cg4p/R5gHea3SL7tJ5f0wnDrp5qUhBASRw="
    // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"Q4Y7rL1b9Xv2Kp8Tn3Wm5Zs6", ("https://voice-cb.example.com/callspool/status"+"66C92B11FF8A425FB8D4CCFE0ED9ED1F"+"2018-02-12T15:30:20Z").encode(), hashlib.sha256).digest()).decode())'
    static let callbackDigestJoined = "7G7xHZO8h/08fAzHf2hVGdADilZbMvdjkDDEsJxSSDk="

    @Test func akskDigestMatchesPython() {
        #expect(Digest.aksk(appSecret: Vector.appSecret, nonce: Vector.nonce, created: Vector.created) == Self.akskDigest)
    }

    @Test func wsseDigestMatchesPythonSample() {
        #expect(Digest.wsse(appSecret: Vector.appSecret, nonce: Vector.nonce, created: Vector.created) == Self.wsseDigest)
    }

    @Test func callbackDigestWithLineBreaksMatchesPython() {
        let digest = Digest.callback(
            appSecret: Vector.appSecret, url: Vector.statusURL, nonce: Vector.nonce, created: Vector.created)
        #expect(digest == Self.callbackDigestSeparated)
    }

    @Test func callbackDigestWithoutLineBreaksMatchesPython() {
        let digest = Digest.callback(
            appSecret: Vector.appSecret, url: Vector.statusURL, nonce: Vector.nonce, created: Vector.created,
            separated: false)
        #expect(digest == Self.callbackDigestJoined)
    }

    @Test func digestDependsOnEveryInput() {
        let base = Digest.aksk(appSecret: Vector.appSecret, nonce: Vector.nonce, created: Vector.created)
        #expect(Digest.aksk(appSecret: Vector.appSecret + "x", nonce: Vector.nonce, created: Vector.created) != base)
        #expect(Digest.aksk(appSecret: Vector.appSecret, nonce: Vector.nonce + "0", created: Vector.created) != base)
        #expect(Digest.aksk(appSecret: Vector.appSecret, nonce: Vector.nonce, created: "2018-02-12T15:30:21Z") != base)
    }

    @Test func isValidHMACAcceptsOnlyTheRightDigest() {
        let message = Vector.nonce + Vector.created
        #expect(Digest.isValidHMAC(base64Digest: Self.akskDigest, key: Vector.appSecret, message: message))
        #expect(!Digest.isValidHMAC(base64Digest: Self.akskDigestUTC, key: Vector.appSecret, message: message))
        #expect(!Digest.isValidHMAC(base64Digest: "not base64!", key: Vector.appSecret, message: message))
        #expect(!Digest.isValidHMAC(base64Digest: "", key: Vector.appSecret, message: message))
    }
}

/// The headers RequestSigner produces, in the reference's format (§5.2 表5-2).
@Suite struct RequestSignerTests {
    static let signer = RequestSigner(
        credentials: Vector.credentials, scheme: .aksk,
        // A fractional second must be truncated, not rounded.
        clock: FixedClock(epochSeconds: Vector.instant + 0.999),
        nonces: FixedNonce(value: Vector.nonce))

    @Test func akskHeadersInUTCPlus8() {
        let headers = Self.signer.headers(createdClock: .utcPlus8)
        #expect(headers.map(\.name) == ["Authorization", "X-AKSK"])
        #expect(headers[0].value == #"AKSK realm="SDP",profile="UsernameToken",type="Appkey""#)
        #expect(
            headers[1].value
                == #"UsernameToken Username="ZRBZRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="C2FSSlWfcnqcfU7SDYY1mGj7u3qAVJSRf9NqCV0/ChQ=",Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F",Created="2018-02-12T15:30:20Z""#
        )
    }

    @Test func akskHeadersInUTC() {
        let headers = Self.signer.headers(createdClock: .utc)
        #expect(
            headers[1].value
                == #"UsernameToken Username="ZRBZRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="ovsINkM+tJOodgbRqdC41KVOIRIk7qzMdP7o3QQw1/w=",Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F",Created="2018-02-12T07:30:20Z""#
        )
    }

    @Test(arguments: [
        (CreatedClock.utc, "2018-02-12T07:30:20Z"),
        (CreatedClock.utcPlus8, "2018-02-12T15:30:20Z"),
    ])
    func createdHonoursTheClockConvention(convention: CreatedClock, expected: String) {
        #expect(Self.signer.created(convention) == expected)
    }

    @Test func wsseHeadersFollowThePythonSample() {
        var signer = Self.signer
        signer.scheme = .wsse
        let headers = signer.headers(createdClock: .utcPlus8)
        #expect(headers.map(\.name) == ["Authorization", "X-WSSE"])
        #expect(headers[0].value == #"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#)
        #expect(
            headers[1].value
                == #"UsernameToken Username="ZRBZRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="ODU3NDk3ODM0YWJhOTM2MTgxY2FiM2FiYzhkMzdmZGNhZjhiN2YyMTZkYWZmZWNiYWUzODllODA4ZTcxZTg1Mw==",Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F",Created="2018-02-12T15:30:20Z""#
        )
    }

    @Test func theSignedHeaderParsesBackToItsParts() throws {
        let value = Self.signer.headers(createdClock: .utcPlus8)[1].value
        let token = try #require(UsernameToken(header: value))
        #expect(token.username == Vector.appKey)
        #expect(token.passwordDigest == SigningVectorTests.akskDigest)
        #expect(token.nonce == Vector.nonce)
        #expect(token.created == Vector.created)
    }

    @Test func createdClockOffsets() {
        #expect(CreatedClock.utc.offsetSeconds == 0)
        #expect(CreatedClock.utcPlus8.offsetSeconds == 28_800)
        #expect(CreatedClock.utc.other == .utcPlus8)
        #expect(CreatedClock.utcPlus8.other == .utc)
        #expect(CreatedClock(rawValue: "utc+8") == .utcPlus8)
    }

    @Test func credentialsNeverPrintTheSecret() {
        #expect(!Vector.credentials.description.contains(Vector.appSecret))
        #expect(Vector.credentials.description.contains(Vector.appKey))
    }
}

@Suite struct SecureNonceSourceTests {
    @Test func yieldsThirtyTwoHexCharactersDifferentEachCall() {
        let source = SecureNonceSource()
        let nonces = (0..<200).map { _ in source.nextNonce() }
        for nonce in nonces {
            #expect(nonce.count == 32)
            #expect(nonce.allSatisfy { $0.isHexDigit && $0.isASCII }, "\(nonce)")
        }
        #expect(Set(nonces).count == nonces.count)
    }

    @Test func hexEncodingIsCorrect() {
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF], uppercase: true) == "000FA5FF")
    }
}
