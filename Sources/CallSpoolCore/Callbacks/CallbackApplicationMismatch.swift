/// A push signed with one application's secret about a call another
/// application placed: refused (401), it changes nothing. Two applications
/// share the callback URLs, so a leaked secret of one must not let anyone
/// rewrite the other's outcomes and digits.
public struct CallbackApplicationMismatch: Error, Sendable, Equatable, CustomStringConvertible {
    public var signedBy: String
    public var placedBy: String

    public var description: String {
        "the push is signed by application \(signedBy) but the call was placed by application \(placedBy)"
    }
}

extension CallbackApplicationMismatch {
    /// Throws when `app` (the signing application; nil: not checked) is not
    /// `owner` (the application that placed the call; nil: unknown).
    static func check(_ app: String?, placedBy owner: String?) throws {
        if let app, let owner, owner != app { throw CallbackApplicationMismatch(signedBy: app, placedBy: owner) }
    }
}
