import Foundation
import VoiceCallAPI

/// Checks the `Authorization` and `X-AKSK` (or legacy `X-WSSE`) headers of a
/// request the way the platform does, answering each missing or wrong part
/// with its code from table 5-7 / 6-5. The `Username` names the application
/// whose secret the digest must match. Pure: the replay check is separate
/// because it needs shared state.
struct RequestAuthenticator: Sendable {
    var applications: ApplicationDirectory
    var createdWindowSeconds: Int64

    /// The accepted token, for the replay check.
    struct Accepted: Sendable, Hashable {
        var appKey: String
        var nonce: String
        /// `Created` read as UTC, in seconds since 1970.
        var createdNaive: Int64
    }

    func authenticate(authorization: String?, xaksk: String?, xwsse: String?, now: Int64) -> Result<Accepted, PlatformRejection> {
        guard let authorization, !authorization.isEmpty else { return .failure(.init(400, "1023006")) }
        let header = AuthorizationHeader(authorization)
        guard let realm = header.value("realm") else { return .failure(.init(400, "1023007")) }
        guard let profile = header.value("profile") else { return .failure(.init(400, "1023008")) }
        guard realm == "SDP" else { return .failure(.init(400, "1023009")) }
        guard profile == "UsernameToken" else { return .failure(.init(400, "1023010")) }
        guard let type = header.value("type") else { return .failure(.init(400, "1023012")) }
        guard type.caseInsensitiveCompare("Appkey") == .orderedSame else { return .failure(.init(400, "1023011")) }
        let legacy = header.scheme.uppercased() == "WSSE"
        guard let raw = legacy ? xwsse : xaksk, !raw.isEmpty else { return .failure(.init(400, "1023033")) }
        guard let token = UsernameToken(header: raw) else { return .failure(.init(400, "1023038")) }
        guard let username = token.username, !username.isEmpty else { return .failure(.init(400, "1023034")) }
        guard let nonce = token.nonce, !nonce.isEmpty else { return .failure(.init(400, "1023035")) }
        guard let created = token.created, !created.isEmpty else { return .failure(.init(400, "1023036")) }
        guard let digest = token.passwordDigest, !digest.isEmpty else { return .failure(.init(400, "1023037")) }
        guard let application = applications.application(appKey: username) else { return .failure(.init(403, "1010003")) }
        let expected =
            legacy
            ? Digest.wsse(appSecret: application.appSecret, nonce: nonce, created: created)
            : Digest.aksk(appSecret: application.appSecret, nonce: nonce, created: created)
        guard Self.constantTimeEquals(expected, digest) else { return .failure(.init(401, "1010010", "Invalid digest.")) }
        guard let naive = CivilTime.parse(created) else { return .failure(.init(401, "1010013")) }
        let asUTC = abs(now - naive) <= createdWindowSeconds
        let asBeijing = abs(now - (naive - CreatedClock.utcPlus8.offsetSeconds)) <= createdWindowSeconds
        guard asUTC || asBeijing else { return .failure(.init(401, "1010013")) }
        return .success(Accepted(appKey: username, nonce: nonce, createdNaive: naive))
    }

    /// The `Username` a request claims, when its token can be read: what a
    /// refusal is counted under in the inspection log (known or not).
    static func claimedAppKey(authorization: String?, xaksk: String?, xwsse: String?) -> String? {
        let legacy = authorization.map { AuthorizationHeader($0).scheme.uppercased() == "WSSE" } ?? false
        guard let raw = legacy ? xwsse : xaksk, let username = UsernameToken(header: raw)?.username else { return nil }
        return username.isEmpty ? nil : username
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
