import Foundation

/// A row of `apiIdempotency`: what an API request sent with an
/// `Idempotency-Key` was answered, kept so that the same request sent again
/// (a retry after a timeout, a crash, or to another instance sharing the
/// store) gets the same answer instead of running twice.
///
/// Guarantees: kept in the commit that did the request's work (so a kept
/// answer always describes committed jobs, and committed jobs always have
/// their answer); unique per API client and key; live until ``expiresAt``,
/// after which the key may be used for another request.
public struct KeptAnswer: Sendable, Hashable, Codable {
    /// The API client that sent the request (keys are per client).
    public var client: String
    public var key: String
    /// SHA-256 (hex) of the request (content type and body): the same key
    /// with another request is refused, not answered.
    public var requestDigest: String
    /// The HTTP status answered.
    public var status: Int
    /// The body answered (JSON text; never a verification code).
    public var body: String
    public var createdAt: Date
    public var expiresAt: Date

    /// How long an answer is kept.
    public static let lifetime: TimeInterval = 24 * 3600

    public init(client: String, key: String, requestDigest: String, status: Int, body: String, createdAt: Date, expiresAt: Date) {
        self.client = client
        self.key = key
        self.requestDigest = requestDigest
        self.status = status
        self.body = body
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
