import Foundation

/// The source of wall-clock time.
///
/// Everything in callspool that needs "now" (signing, expiry, windows, backoff)
/// takes one of these, so tests can run minutes of backoff in milliseconds and
/// signature vectors can be fixed.
public protocol WallClock: Sendable {
    var now: Date { get }
}

/// The system's real time.
public struct SystemWallClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}
