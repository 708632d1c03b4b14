import Foundation
import Synchronization
import VoiceCallAPI

/// A wall clock tests move by hand.
final class ManualClock: WallClock, Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_320_000)) {  // 2026-11-22 12:40 Shanghai
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(_ duration: Duration) {
        current.withLock { $0 = $0.addingTimeInterval(duration.timeInterval) }
    }
}
