import Foundation
import Synchronization
import VoiceCallAPI

/// A wall clock tests move by hand.
final class ManualWallClock: WallClock, Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

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
