import Crypto
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
    public var keyring: [AppCredentials] {
        didSet { signingKeys = keyring.map { PreparedHMACKey(secret: $0.appSecret) } }
    }
    /// Each secret's HMAC key schedule, computed once (same order as ``keyring``).
    private var signingKeys: [PreparedHMACKey]
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
        self.signingKeys = keyring.map { PreparedHMACKey(secret: $0.appSecret) }
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
        let provided = Data(base64Encoded: digest)
        let messages = Self.candidateMessages(urls: urls, nonce: nonce, created: created)
        let matches = signingKeys.map { key in provided.map { key.matchesAny($0, messages: messages) } ?? false }
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
        guard let provided = Data(base64Encoded: digest) else { return false }
        return PreparedHMACKey(secret: secret).matchesAny(provided, messages: candidateMessages(urls: urls, nonce: nonce, created: created))
    }

    /// The byte strings a callback digest may cover: each URL separated
    /// by "\n" from the nonce and `Created`, and joined without them.
    static func candidateMessages(urls: [String], nonce: String, created: String) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        messages.reserveCapacity(urls.count * 2)
        for url in urls {
            messages.append(Array("\(url)\n\(nonce)\n\(created)".utf8))
            messages.append(Array((url + nonce + created).utf8))
        }
        return messages
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


/// One application secret made ready for HMAC-SHA256: the inner and outer
/// pads are hashed once, when the verifier is built, instead of for every
/// candidate of every push.
///
/// `@unchecked Sendable`: it holds an immutable `HMAC<SHA256>` value (swift-crypto
/// does not mark it Sendable); the hash states are copied on write, so each
/// check works on its own copy and the shared value is never mutated.
struct PreparedHMACKey: @unchecked Sendable {
    private let start: HMAC<SHA256>

    init(secret: String) {
        start = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.utf8)))
    }

    /// Whether `provided` is the HMAC of any of `messages`. Every candidate
    /// is computed and compared in constant time, and the results are
    /// folded without short-circuit: the work does not depend on which
    /// candidate, if any, matched.
    func matchesAny(_ provided: Data, messages: [[UInt8]]) -> Bool {
        var matched: UInt8 = 0
        for message in messages {
            var mac = start
            mac.update(data: message)
            matched |= Self.constantTimeEqual(mac.finalize(), provided) ? 1 : 0
        }
        return matched != 0
    }

    /// Byte equality whose time depends only on the lengths (public).
    static func constantTimeEqual(_ code: HashedAuthenticationCode<SHA256>, _ provided: Data) -> Bool {
        code.withUnsafeBytes { computed in
            guard computed.count == provided.count else { return false }
            var difference: UInt8 = 0
            for (index, byte) in provided.enumerated() { difference |= computed[index] ^ byte }
            return difference == 0
        }
    }
}
