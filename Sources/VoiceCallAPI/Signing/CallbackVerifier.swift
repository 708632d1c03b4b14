import Foundation

/// Checks the `X-AKSK` signature of a platform push (docs/callbacks.md).
///
/// PasswordDigest = Base64(HMAC-SHA256(appSecret, url + "\n" + Nonce + "\n" +
/// Created)) where url is a callback URL string as configured; the variant
/// without "\n" (FAQ) is accepted too. Which URL: every status-event section
/// of the reference says the customer's *fee* URL, for status pushes too, while
/// a platform could as well sign with the URL it posts to; so the caller passes
/// every configured callback URL and a digest over any of them is accepted.
/// All candidates are computed and compared in constant time before the
/// results are combined, so the timing does not tell which one matched.
/// `Created` must lie within ±`window` of now read either as UTC or as UTC+8,
/// the Nonce must match `[A-Za-z0-9_-]{1,128}`, and a nonce seen before is a
/// replay. The digest does not cover the body: TLS and the replay cache are
/// what protect it.
///
/// Several applications may share the callback URLs: a push is checked
/// against every configured secret (each in constant time, all of them
/// every time), and the result names the application whose secret signed
/// it, so the receiver can refuse a push about another application's call.
public struct CallbackVerifier: Sendable {
    /// The applications' credentials; a push signed by any of them passes.
    public var keyring: [AppCredentials]
    /// The first application's credentials.
    public var credentials: AppCredentials { keyring[0] }
    public var window: Duration
    public var clock: any WallClock
    public let replayCache: NonceReplayCache

    public init(
        credentials: AppCredentials,
        window: Duration = .seconds(15 * 60),
        clock: any WallClock = SystemWallClock(),
        replayCache: NonceReplayCache = NonceReplayCache()
    ) {
        self.init(keyring: [credentials], window: window, clock: clock, replayCache: replayCache)
    }

    /// - Parameter keyring: at least one application's credentials.
    public init(
        keyring: [AppCredentials],
        window: Duration = .seconds(15 * 60),
        clock: any WallClock = SystemWallClock(),
        replayCache: NonceReplayCache = NonceReplayCache()
    ) {
        precondition(!keyring.isEmpty, "a callback verifier needs at least one application's credentials")
        self.keyring = keyring
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
            case .wrongAppKey: "X-AKSK Username is not the app key of a configured application"
            case .badDigest: "PasswordDigest does not match (wrong app secret or callback URL)"
            case .stale: "Created is more than the allowed window away from now in both UTC and UTC+8"
            case .replay: "nonce was already used (replayed push)"
            }
        }
    }

    /// Verifies one push whose digest must cover `url`; throws the first rule it breaks.
    public func verify(xaksk: String?, url: String) async throws(Rejection) {
        try await verify(xaksk: xaksk, urls: [url])
    }

    /// Verifies one push whose digest may cover any of `urls` (the configured
    /// status and fee URLs), with or without the "\n" separators; throws the
    /// first rule it breaks. The nonce is remembered once, whichever URL matched.
    public func verify(xaksk: String?, urls: [String]) async throws(Rejection) {
        let checked = try authenticate(xaksk: xaksk, urls: urls)
        let inserted = await replayCache.insert(
            checked.nonce, created: checked.created, expiresAt: checked.expiresAt, now: checked.now)
        guard inserted else { throw .replay }
    }

    /// Every rule but the replay check: header shape, nonce format, app key,
    /// digest (over any of `urls`, either variant) and `Created`. Returns the
    /// nonce and how long it must be remembered; the caller decides where
    /// (the daemon's store, or ``replayCache`` through ``verify(xaksk:urls:)``).
    public func authenticate(xaksk: String?, urls: [String]) throws(Rejection) -> CallbackNonce {
        guard let header = xaksk, !header.isEmpty else { throw .missingHeader }
        guard let token = UsernameToken(header: header), let digest = token.passwordDigest,
            let nonce = token.nonce, Self.isWellFormedNonce(nonce), let created = token.created
        else { throw .malformedHeader }
        let keys = keyring.map(\.appKey)
        if let username = token.username, !keys.contains(""), !keys.contains(username) {
            throw .wrongAppKey
        }
        // Every secret is tried, each in constant time, before one is picked:
        // the time taken does not tell which application (if any) matched.
        let matches = keyring.map { Self.digestMatchesAny(digest, secret: $0.appSecret, urls: urls, nonce: nonce, created: created) }
        let signer = zip(keyring, matches).first { credentials, matched in
            matched && (token.username == nil || credentials.appKey.isEmpty || credentials.appKey == token.username)
        }?.0
        guard let signer else { throw .badDigest }
        guard let naive = CivilTime.parse(created) else { throw .stale }
        let now = Int64(clock.now.timeIntervalSince1970.rounded(.down))
        let slack = window.components.seconds
        let asUTC = abs(now - naive) <= slack
        let asBeijing = abs(now - (naive - CreatedClock.utcPlus8.offsetSeconds)) <= slack
        guard asUTC || asBeijing else { throw .stale }
        // Remember the nonce until the later of the two readings stops accepting it.
        return CallbackNonce(
            nonce: nonce, created: naive - CreatedClock.utcPlus8.offsetSeconds, expiresAt: naive + slack, now: now, appKey: signer.appKey)
    }

    /// Whether `digest` is the callback digest over any of `urls`, separated
    /// or joined. Every candidate is checked (each check is constant time) and
    /// the results are folded without short-circuit, so the work done does not
    /// depend on which candidate, if any, matched.
    static func digestMatchesAny(_ digest: String, secret: String, urls: [String], nonce: String, created: String) -> Bool {
        var messages: [String] = []
        for url in urls {
            messages.append("\(url)\n\(nonce)\n\(created)")
            messages.append(url + nonce + created)
        }
        // All HMACs first, then the fold: no candidate is skipped because another matched.
        let results = messages.map { Digest.isValidHMAC(base64Digest: digest, key: secret, message: $0) }
        return results.reduce(into: 0 as UInt8) { $0 |= $1 ? 1 : 0 } != 0
    }

    /// `[A-Za-z0-9_-]{1,128}`: the reference's 1–128 letters and digits, plus
    /// the `-` and `_` of UUID-style nonces.
    static func isWellFormedNonce(_ nonce: String) -> Bool {
        let utf8 = nonce.utf8
        guard (1...128).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45 || byte == 95
        }
    }
}

