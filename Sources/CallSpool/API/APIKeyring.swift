import CallSpoolCore
import Crypto
import Foundation

/// The API's clients by token: tells which client a bearer token belongs
/// to without leaking, through timing, how much of a guess was right.
///
/// Guarantees: tokens are compared as SHA-256 digests (fixed length), byte
/// for byte without an early exit (``constantTimeEqual(_:_:)``), against
/// every client whatever matched first; a token is never logged or shown.
struct APIKeyring: Sendable {
    private let entries: [(digest: [UInt8], client: APIClient)]
    /// The comparison used (constant time unless a test counts calls).
    let compare: @Sendable ([UInt8], [UInt8]) -> Bool

    init(clients: [APIClient], compare: @escaping @Sendable ([UInt8], [UInt8]) -> Bool = APIKeyring.constantTimeEqual) {
        entries = clients.map { (Array(SHA256.hash(data: Data($0.token.utf8))), $0) }
        self.compare = compare
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The client whose token is `token`, nil when none.
    func client(presenting token: Substring) -> APIClient? {
        let digest = Array(SHA256.hash(data: Data(token.utf8)))
        var found: APIClient?
        for entry in entries where compare(entry.digest, digest) && found == nil {
            found = entry.client
        }
        return found
    }

    /// The client named by an `Authorization: Bearer <token>` header value.
    func client(authorization: String?) -> APIClient? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].drop { $0 == " " }
        guard !token.isEmpty else { return nil }
        return client(presenting: token)
    }

    /// Whether `a` and `b` hold the same bytes, in a time that depends only
    /// on their lengths (every byte is looked at, whatever differs first).
    static let constantTimeEqual: @Sendable ([UInt8], [UInt8]) -> Bool = { a, b in
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
