import Foundation
import Synchronization
import VoiceCallAPI

/// Distinct, predictable nonces.
final class CountingNonces: NonceSource, Sendable {
    private let counter = Mutex(0)
    private let prefix: String

    init(prefix: String = "N") {
        self.prefix = prefix
    }

    func nextNonce() -> String {
        let n = counter.withLock { value -> Int in
            value += 1
            return value
        }
        return "\(prefix)\(n)"
    }
}
