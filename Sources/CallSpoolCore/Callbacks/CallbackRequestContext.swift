import Hummingbird
import VoiceCallAPI

/// The request context of the callback server: Hummingbird's core context
/// plus what ``CallbackAuthMiddleware`` established from the headers, so the
/// route stores the event with the nonce that was checked, without checking
/// twice.
public struct CallbackRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The verified nonce of the push (nil before the middleware ran, or when
    /// signatures are not verified).
    public var callbackNonce: CallbackNonce?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        callbackNonce = nil
    }
}
