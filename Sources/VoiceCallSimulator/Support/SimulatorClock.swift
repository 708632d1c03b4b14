import Foundation
import VoiceCallAPI

/// The simulator's sense of time: wall-clock "now" from an injected
/// ``WallClock`` (signatures, rate windows, event timestamps) and a time scale
/// that turns simulated call durations into real waits.
///
/// With `timeScale` 60 a 30 s call plays in half a second, so tests and load
/// runs cover minutes of telephony in milliseconds.
public struct SimulatorClock: Sendable {
    public var wall: any WallClock
    /// Simulated seconds per real second (> 0).
    public var timeScale: Double

    public init(wall: any WallClock = SystemWallClock(), timeScale: Double = 1) {
        self.wall = wall
        self.timeScale = timeScale > 0 ? timeScale : 1
    }

    /// Seconds since 1970 (fractional).
    public var now: Double { wall.now.timeIntervalSince1970 }

    /// Whole seconds since 1970.
    public var nowSeconds: Int64 { Int64(now.rounded(.down)) }

    /// The real time that `simulatedSeconds` take at this scale.
    public func realDuration(ofSimulated simulatedSeconds: Double) -> Duration {
        let real = max(0, simulatedSeconds) / timeScale
        return .nanoseconds(Int64((real * 1_000_000_000).rounded()))
    }

    /// Waits `simulatedSeconds` of simulated time.
    public func sleep(simulated simulatedSeconds: Double) async throws {
        let real = realDuration(ofSimulated: simulatedSeconds)
        guard real > .zero else { return }
        try await Task.sleep(for: real)
    }
}
