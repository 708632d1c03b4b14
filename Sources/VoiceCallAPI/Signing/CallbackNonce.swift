/// The nonce of a push whose `X-AKSK` checked out, with how long it must be
/// remembered.
///
/// Exists so the replay check can live outside the verifier: the daemon
/// remembers nonces in its store (replays are refused across restarts too),
/// the simulator in memory (``NonceReplayCache``). A value of this type always
/// holds a well-formed nonce (`[A-Za-z0-9_-]{1,128}`) whose signature and
/// `Created` were accepted at ``now``.
public struct CallbackNonce: Sendable, Hashable {
    /// The Nonce of the header, well formed.
    public var nonce: String
    /// `Created` read as UTC+8 (the earlier of the two readings), epoch seconds.
    public var created: Int64
    /// Epoch seconds after which neither clock reading would accept `Created`
    /// any more: until then a second use of `nonce` is a replay.
    public var expiresAt: Int64
    /// When it was checked, epoch seconds.
    public var now: Int64
    /// The app key whose secret signed the push (nil when not checked).
    public var appKey: String?

    public init(nonce: String, created: Int64, expiresAt: Int64, now: Int64, appKey: String? = nil) {
        self.nonce = nonce
        self.created = created
        self.expiresAt = expiresAt
        self.now = now
        self.appKey = appKey
    }
}
