import Foundation
import VoiceCallAPI

/// A nonce source that always returns the same nonce.
struct FixedNonce: NonceSource {
    var value: String
    func nextNonce() -> String { value }
}

/// Fixed inputs shared by the signing vectors (python3 computed the digests from these).
enum Vector {
    static let appKey = "ZRBZRz4bAXoFgEH7o4Ew308eXc1RA"
    static let appSecret = "Q4Y7rL1b9Xv2Kp8Tn3Wm5Zs6"
    /// The reference's example nonce.
    static let nonce = "66C92B11FF8A425FB8D4CCFE0ED9ED1F"
    /// The reference's example Created.
    static let created = "2018-02-12T15:30:20Z"
    static let statusURL = "https://voice-cb.example.com/callspool/status"
    static let credentials = AppCredentials(appKey: appKey, appSecret: appSecret)
    /// 2018-02-12T07:30:20Z real UTC: `created` is this instant read in UTC+8.
    static let instant: TimeInterval = 1_518_420_620
}

extension Array where Element == ValidationIssue {
    var fields: [String] { map(\.field) }
}
