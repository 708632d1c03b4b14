import Foundation
import VoiceCallAPI

/// A callback push whose nonce is already remembered: a replay. Thrown inside
/// the push's savepoint, so nothing of it is stored.
public struct CallbackReplayError: Error, Sendable, CustomStringConvertible {
    public var nonce: String
    public var description: String { "nonce already used within the replay window (replayed push)" }
}
