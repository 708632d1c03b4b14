import Hummingbird

/// Authenticates a push from its headers before the route reads its body.
///
/// Exists so an unauthenticated client cannot hold the server by trickling a
/// body: the answer (401, `Connection: close`) is decided by
/// ``CallbackReceiver/admit(_:)`` and sent at once, the body is never read,
/// and ``RequestDeadlineHandler`` closes the connection once the answer is
/// written. An admitted push continues with its nonce in the context.
struct CallbackAuthMiddleware: RouterMiddleware {
    typealias Context = CallbackRequestContext

    let receiver: CallbackReceiver

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch await receiver.admit(request) {
        case .refused(let response):
            return response
        case .admitted(let nonce):
            var context = context
            context.callbackNonce = nonce
            return try await next(request, context)
        }
    }
}
