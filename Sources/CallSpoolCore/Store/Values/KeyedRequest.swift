import Crypto
import Foundation

/// An API request sent with an `Idempotency-Key`: who sent it, under which
/// key, and a digest of what it asked (``StoreDriver/answerOnce(_:now:_:)``
/// runs it at most once per client and key).
public struct KeyedRequest: Sendable, Hashable {
    public var client: String
    public var key: String
    /// SHA-256 (hex) of the content type and the body.
    public var requestDigest: String

    public init(client: String, key: String, requestDigest: String) {
        self.client = client
        self.key = key
        self.requestDigest = requestDigest
    }

    /// A request of `client` under `key` with this content type and body.
    public init(client: String, key: String, contentType: String, body: [UInt8]) {
        var hasher = SHA256()
        hasher.update(data: Data(contentType.utf8))
        hasher.update(data: Data([0]))
        hasher.update(data: body)
        self.init(client: client, key: key, requestDigest: HexText.lowercase(hasher.finalize()))
    }
}
