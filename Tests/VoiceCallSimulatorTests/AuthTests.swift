import HTTPTypes
import HummingbirdTesting
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

@Suite struct AuthTests {
    let harness = SimulatorHarness()

    /// Sends the default body with `headers` and returns status and code.
    func send(_ headers: HTTPFields) async throws -> (Int, String) {
        let body = try SimulatorHarness.encode(SimulatorHarness.notifyBody())
        let app = harness.simulator.makeApplication()
        return try await app.test(.router) { client in
            let answer = try await client.call(headers: headers, body: body)
            return (answer.status, answer.response.resultcode)
        }
    }

    func with(_ headers: HTTPFields, _ name: String, _ value: String?) throws -> HTTPFields {
        var copy = headers
        let field = try #require(HTTPField.Name(name))
        copy[field] = value
        return copy
    }

    @Test func signedRequestSucceedsInBothClockConventions() async throws {
        #expect(try await send(harness.signedHeaders(convention: .utcPlus8)) == (200, "0"))
        #expect(try await send(harness.signedHeaders(convention: .utc)) == (200, "0"))
        #expect(try await send(harness.signedHeaders(scheme: .wsse)) == (200, "0"))
    }

    @Test(arguments: [
        (nil as String?, "1023006"),
        (#"AKSK profile="UsernameToken",type="Appkey""#, "1023007"),
        (#"AKSK realm="SDP",type="Appkey""#, "1023008"),
        (#"AKSK realm="XYZ",profile="UsernameToken",type="Appkey""#, "1023009"),
        (#"AKSK realm="SDP",profile="Token",type="Appkey""#, "1023010"),
        (#"AKSK realm="SDP",profile="UsernameToken",type="Bogus""#, "1023011"),
        (#"AKSK realm="SDP",profile="UsernameToken""#, "1023012"),
    ])
    func authorizationHeaderParts(value: String?, code: String) async throws {
        let headers = try with(harness.signedHeaders(), "Authorization", value)
        #expect(try await send(headers) == (400, code))
    }

    @Test(arguments: [
        (nil as String?, "1023033"),
        (#"Username="k",PasswordDigest="d",Nonce="n",Created="2026-01-01T00:00:00Z""#, "1023038"),
        (#"UsernameToken PasswordDigest="d",Nonce="n",Created="2026-01-01T00:00:00Z""#, "1023034"),
        (#"UsernameToken Username="k",PasswordDigest="d",Created="2026-01-01T00:00:00Z""#, "1023035"),
        (#"UsernameToken Username="k",PasswordDigest="d",Nonce="n""#, "1023036"),
        (#"UsernameToken Username="k",Nonce="n",Created="2026-01-01T00:00:00Z""#, "1023037"),
    ])
    func xakskParts(value: String?, code: String) async throws {
        let headers = try with(harness.signedHeaders(), "X-AKSK", value)
        #expect(try await send(headers) == (400, code))
    }

    @Test func unknownAppKeyBadDigestAndStaleCreated() async throws {
        let wrongKey = AppCredentials(appKey: "other", appSecret: harness.credentials.appSecret)
        #expect(try await send(harness.signedHeaders(credentials: wrongKey)) == (403, "1010003"))
        let wrongSecret = AppCredentials(appKey: harness.credentials.appKey, appSecret: "nope")
        #expect(try await send(harness.signedHeaders(credentials: wrongSecret)) == (401, "1010010"))
        #expect(try await send(harness.signedHeaders(convention: .utc, offsetSeconds: -3 * 3600)) == (401, "1010013"))
        #expect(try await send(harness.signedHeaders(convention: .utcPlus8, offsetSeconds: 20 * 60)) == (401, "1010013"))
    }

    @Test func replayedNonceIsRefused() async throws {
        let headers = harness.signedHeaders(nonce: "same-nonce")
        let body = try SimulatorHarness.encode(SimulatorHarness.notifyBody())
        let app = harness.simulator.makeApplication()
        try await app.test(.router) { client in
            #expect(try await client.call(headers: headers, body: body).response.resultcode == "0")
            let replay = try await client.call(headers: headers, body: body)
            #expect(replay.status == 401)
            #expect(replay.response.resultcode == "1010010")
        }
    }
}
