import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP server of the callback receiver: Hummingbird's `Application`,
/// itself a swift-service-lifecycle `Service`, so `callspool run` starts and
/// stops it with the rest of the daemon (graceful shutdown waits for requests
/// in flight, so no committed event goes unanswered).
///
/// Routes `POST` on the path of `callbacks.status_url` and of
/// `callbacks.fee_url` to the same ``CallbackReceiver`` (either kind of event
/// may come to either URL); anything else is 404/405. Slow clients: the HTTP/1
/// channel closes a connection that sends nothing for `idleTimeout` (between
/// requests and while headers or body arrive: every received part resets it),
/// and the receiver answers 408 to a body that takes longer than
/// ``CallbackReceiver/Settings/bodyTimeout`` in all, so neither slow nor
/// trickling clients can hold the server.
public func buildCallbackApplication(
    receiver: CallbackReceiver, listen: ListenAddress, idleTimeout: Duration = .seconds(15),
    services: [any Service] = [], onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }, logger: Logger
) -> Application<RouterResponder<BasicRequestContext>> {
    let router = Router(context: BasicRequestContext.self)
    for path in receiver.settings.paths {
        router.post(RouterPath(path)) { request, _ -> Response in
            await receiver.respond(to: request)
        }
    }
    let idle = TimeAmount.nanoseconds(Int64(idleTimeout.timeInterval * 1_000_000_000))
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: idle)),
        configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "callspool-callbacks"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? listen.port) },
        logger: logger)
}
