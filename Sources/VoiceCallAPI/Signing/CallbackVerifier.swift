import Foundation

/// Checks the `X-AKSK` signature of a platform push (DESIGN §7).
///
/// PasswordDigest = Base64(HMAC-SHA256(appSecret, url + "\n" + Nonce + "\n" +
/// Created)) where url is the callback URL string as configured; the variant
/// without "\n" (FAQ) is accepted too. The digest is compared in constant time,
/// `Created` must lie within ±`window` of now read either as UTC or as UTC+8,
/// and a nonce seen before is a replay. The digest does not cover the body:
/// TLS and the replay cache are what protect it.
public struct CallbackVerifier: Sendable {
    public var credentials: AppCredentials
    public var window: Duration
    public var clock: any WallClock
    public let replayCache: NonceReplayCache

    public init(
        credentials: AppCredentials,
        window: Duration = .seconds(15 * 60),
        clock: any WallClock = SystemWallClock(),
        replayCache: NonceReplayCache = NonceReplayCache()
    ) {
        self.credentials = credentials
        self.window = window
        self.clock = clock
        self.replayCache = replayCache
    }

    /// Why a push was refused.
    public enum Rejection: String, Error, Sendable, CaseIterable {
        case missingHeader = "missing_header"
        case malformedHeader = "malformed_header"
        case wrongAppKey = "wrong_app_key"
        case badDigest = "bad_digest"
        case stale = "stale"
        case replay = "replay"

        public var description: String {
            switch self {
            case .missingHeader: "no X-AKSK header"
            case .malformedHeader: "X-AKSK lacks UsernameToken, PasswordDigest, Nonce or Created"
            case .wrongAppKey: "X-AKSK Username is not this application's app key"
            case .badDigest: "PasswordDigest does not match (wrong app secret or callback URL)"
            case .stale: "Created is more than the allowed window away from now in both UTC and UTC+8"
            case .replay: "nonce was already used (replayed push)"
            }
        }
    }

    /// Verifies one push to `url`; throws the first rule it breaks.
    public func verify(xaksk: String?, url: String) async throws(Rejection) {
        guard let header = xaksk, !header.isEmpty else { throw .missingHeader }
        guard let token = UsernameToken(header: header), let digest = token.passwordDigest,
            let nonce = token.nonce, !nonce.isEmpty, let created = token.created
        else { throw .malformedHeader }
        if let username = token.username, !credentials.appKey.isEmpty, username != credentials.appKey {
            throw .wrongAppKey
        }
        let secret = credentials.appSecret
        let separated = Digest.isValidHMAC(base64Digest: digest, key: secret, message: "\(url)\n\(nonce)\n\(created)")
        let joined = Digest.isValidHMAC(base64Digest: digest, key: secret, message: url + nonce + created)
        guard separated || joined else { throw .badDigest }
        guard let naive = CivilTime.parse(created) else { throw .stale }
        let now = Int64(clock.now.timeIntervalSince1970.rounded(.down))
        let slack = window.components.seconds
        let asUTC = abs(now - naive) <= slack
        let asBeijing = abs(now - (naive - CreatedClock.utcPlus8.offsetSeconds)) <= slack
        guard asUTC || asBeijing else { throw .stale }
        // Remember the nonce until the later of the two readings stops accepting it.
        let inserted = await replayCache.insert(
            nonce, created: naive - CreatedClock.utcPlus8.offsetSeconds, expiresAt: naive + slack, now: now)
        guard inserted else { throw .replay }
    }
}
