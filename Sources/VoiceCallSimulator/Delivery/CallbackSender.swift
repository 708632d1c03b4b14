import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import VoiceCallAPI

/// Posts signed pushes to receivers: `Authorization: AKSK …` and an `X-AKSK`
/// whose PasswordDigest is Base64(HMAC-SHA256(appSecret, url + "\n" + Nonce +
/// "\n" + Created)), url being an exact callback URL string from the request:
/// the one posted to, or (scenario option, as the reference says for every
/// push) the feeUrl. The key and secret are those of the application that
/// placed the call, as on the platform.
struct CallbackSender: Sendable {
    var client: HTTPClient
    var applications: ApplicationDirectory
    var clock: SimulatorClock
    var nonces: any NonceSource
    var createdClock: CreatedClock
    var timeout: Duration = .seconds(10)
    var logger: Logger

    /// Posts `event` of a call placed by `appKey` to `url`, signed with that
    /// application's credentials, the digest computed over `signedFor` (default `url`).
    func post(
        _ event: CallbackEvent, to url: String, signedFor signingURL: String? = nil, appKey: String
    ) async -> CallbackDelivery {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let body = try? encoder.encode(event) else {
            return CallbackDelivery(url: url, error: "could not encode the event")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json;charset=UTF-8")
        let credentials = applications.signingCredentials(appKey: appKey)
        for (name, value) in signatureHeaders(url: signingURL ?? url, credentials: credentials) {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            let code = Self.resultcode(in: Array(buffer.readableBytesView))
            return CallbackDelivery(url: url, httpStatus: Int(response.status.code), receiverResultcode: code)
        } catch {
            logger.debug("push failed", metadata: ["url": "\(url)", "error": "\(error)"])
            return CallbackDelivery(url: url, error: "\(error)")
        }
    }

    func signatureHeaders(url: String, credentials: AppCredentials) -> [(String, String)] {
        let nonce = nonces.nextNonce()
        let created = CivilTime.formatCreated(epochSeconds: clock.nowSeconds + createdClock.offsetSeconds)
        let digest = Digest.callback(appSecret: credentials.appSecret, url: url, nonce: nonce, created: created)
        return [
            ("Authorization", #"AKSK realm="SDP",profile="UsernameToken",type="Appkey""#),
            ("X-AKSK", RequestSigner.token(appKey: credentials.appKey, digest: digest, nonce: nonce, created: created)),
        ]
    }

    static func resultcode(in body: [UInt8]) -> String? {
        struct Answer: Decodable { var resultcode: String? }
        guard !body.isEmpty, let answer = try? JSONDecoder().decode(Answer.self, from: Data(body)) else { return nil }
        return answer.resultcode
    }
}
