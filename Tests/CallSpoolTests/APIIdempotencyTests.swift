@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `Idempotency-Key` on `POST /v1/jobs`: the same key and body answer the
/// first answer again and create nothing; another body under the key gets
/// 409 `idempotency_key_reused`.
@Suite struct APIIdempotencyTests {
    /// A job without an id (its id is generated).
    static let anonymous = #"{"type":"verify","calleeNbr":"+8613800000001","verifyCode":"482913","preTone":"p.wav"}"#

    static func post(_ body: String, key: String?, to client: some TestClientProtocol) async throws -> (status: Int, json: [String: Any], text: String) {
        var headers = APIFixture.headers(token: APIFixture.shopToken)
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return try await client.execute(uri: "/v1/jobs", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            let text = String(buffer: response.body)
            return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:], text)
        }
    }

    @Test func theSameKeyAndBodyGetTheFirstAnswerAgainAndCreateNothing() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let first = try await Self.post(Self.anonymous, key: "order-4711", to: client)
            #expect(first.status == 201, "\(first.text)")
            let id = try #require((first.json["jobs"] as? [[String: Any]])?.first?["id"] as? String)
            // The job moves on; a repeat still gets the first answer, word for word.
            _ = try fixture.database.request(.cancel(ids: [id], campaign: nil), now: Date())
            _ = try fixture.database.applyPendingIntents(now: Date(), retryTTL: { _ in .seconds(60) })
            let again = try await Self.post(Self.anonymous, key: "order-4711", to: client)
            #expect(again.status == 201, "the first status, not 200: \(again.text)")
            #expect(again.text == first.text)
            #expect(!again.text.contains("482913"))
            // Without the key the same body is a plain retry: the existing job.
            let plain = try await Self.post(Self.anonymous, key: nil, to: client)
            #expect(plain.status == 200, "\(plain.text)")
        }
        #expect(try fixture.database.stateCounts().values.reduce(0, +) == 1)
    }

    @Test func anotherBodyUnderTheKeyGets409AndCreatesNothing() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let first = try await Self.post(Self.anonymous, key: "order-1", to: client)
            #expect(first.status == 201)
            let other = Self.anonymous.replacingOccurrences(of: "+8613800000001", with: "+8613800000002")
            let reused = try await Self.post(other, key: "order-1", to: client)
            #expect(reused.status == 409, "\(reused.text)")
            #expect((reused.json["error"] as? [String: Any])?["code"] as? String == "idempotency_key_reused")
            // Another key is another request.
            let fresh = try await Self.post(other, key: "order-2", to: client)
            #expect(fresh.status == 201, "\(fresh.text)")
        }
        #expect(try fixture.database.stateCounts().values.reduce(0, +) == 2)
    }

    @Test func aRejectedRequestIsAnsweredTheSameWayAgain() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let bad = APIFixture.verifyJob(id: "bad", callee: "12")
            let first = try await Self.post(bad, key: "k-bad", to: client)
            #expect(first.status == 422, "\(first.text)")
            let again = try await Self.post(bad, key: "k-bad", to: client)
            #expect(again.status == 422 && again.text == first.text)
        }
    }

    @Test(arguments: ["", "has space", String(repeating: "k", count: 256), "ключ"])
    func aMalformedKeyGets400(key: String) async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let answer = try await Self.post(Self.anonymous, key: key, to: client)
            #expect(answer.status == 400, "\(answer.text)")
            let message = try #require((answer.json["error"] as? [String: Any])?["message"] as? String, "\(answer.text)")
            #expect(message.contains("Idempotency-Key"))
        }
        #expect(try fixture.database.stateCounts().values.reduce(0, +) == 0)
    }
}
