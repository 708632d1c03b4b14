/// Signs outbound requests: the `Authorization` and `X-AKSK` (or `X-WSSE`)
/// headers of reference §5.2, with a fresh CSPRNG nonce and the current time
/// in the chosen ``CreatedClock`` convention.
public struct RequestSigner: Sendable {
    public var credentials: AppCredentials
    public var scheme: AuthScheme
    public var clock: any WallClock
    public var nonces: any NonceSource

    public init(
        credentials: AppCredentials,
        scheme: AuthScheme = .aksk,
        clock: any WallClock = SystemWallClock(),
        nonces: any NonceSource = SecureNonceSource()
    ) {
        self.credentials = credentials
        self.scheme = scheme
        self.clock = clock
        self.nonces = nonces
    }

    /// The `Created` value for the current time.
    public func created(_ convention: CreatedClock) -> String {
        let epoch = Int64(clock.now.timeIntervalSince1970.rounded(.down))
        return CivilTime.formatCreated(epochSeconds: epoch + convention.offsetSeconds)
    }

    /// The two authentication headers, name then value.
    public func headers(createdClock: CreatedClock) -> [(name: String, value: String)] {
        Self.headers(
            scheme: scheme, credentials: credentials, nonce: nonces.nextNonce(), created: created(createdClock))
    }

    /// The headers for a given nonce and created time (for tests and vectors).
    public static func headers(
        scheme: AuthScheme, credentials: AppCredentials, nonce: String, created: String
    ) -> [(name: String, value: String)] {
        switch scheme {
        case .aksk:
            let digest = Digest.aksk(appSecret: credentials.appSecret, nonce: nonce, created: created)
            return [
                ("Authorization", #"AKSK realm="SDP",profile="UsernameToken",type="Appkey""#),
                ("X-AKSK", token(appKey: credentials.appKey, digest: digest, nonce: nonce, created: created)),
            ]
        case .wsse:
            let digest = Digest.wsse(appSecret: credentials.appSecret, nonce: nonce, created: created)
            return [
                ("Authorization", #"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#),
                ("X-WSSE", token(appKey: credentials.appKey, digest: digest, nonce: nonce, created: created)),
            ]
        }
    }

    /// `UsernameToken Username="…",PasswordDigest="…",Nonce="…",Created="…"`.
    public static func token(appKey: String, digest: String, nonce: String, created: String) -> String {
        #"UsernameToken Username="\#(appKey)",PasswordDigest="\#(digest)",Nonce="\#(nonce)",Created="\#(created)""#
    }
}
