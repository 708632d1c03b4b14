import Foundation
import Synchronization
import VoiceCallAPI

/// A wall clock tests move by hand: policies and services that take an
/// injected clock are tested without sleeping.
public final class ManualClock: WallClock, Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_320_000)) {  // 2026-11-22 12:40 Shanghai
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        advance(seconds: TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18)
    }

    public func advance(seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
