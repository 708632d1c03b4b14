import Foundation
import VoiceCallAPI

/// A clock that always says the same instant.
public struct FixedClock: WallClock {
    public var now: Date

    public init(_ date: Date) { now = date }
    public init(epochSeconds: TimeInterval) { now = Date(timeIntervalSince1970: epochSeconds) }
}
