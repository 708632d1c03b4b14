import Foundation

/// What ``StoreDriver/answerOnce(_:now:_:)`` did with a keyed request.
public enum KeyedAnswer: Sendable, Hashable {
    /// The request ran now; its answer is kept under the key.
    case first(KeptAnswer)
    /// The same request ran before: its kept answer, nothing ran now.
    case repeated(KeptAnswer)
    /// The key was used for another request (a different digest): nothing ran.
    case reused(KeptAnswer)

    /// The answer kept under the key.
    public var kept: KeptAnswer {
        switch self {
        case .first(let kept), .repeated(let kept), .reused(let kept): kept
        }
    }
}
