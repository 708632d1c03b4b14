import Hummingbird
import HummingbirdCore
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
/// may come to either URL); anything else is 404/405. Under abuse:
/// * at most ``CallbackReceiver/Settings/maxConnections`` connections are
///   served; more wait in the listen backlog (``CallbackConnectionLimit``);
/// * a push is authenticated from its headers before its body is read
///   (``CallbackAuthMiddleware``): a forgery gets 401 and its connection is
///   closed without reading the body;
/// * a whole request must arrive within ``CallbackReceiver/Settings/readTimeout``
///   of the connection opening or of the previous response, however slowly
///   its bytes trickle, or the connection is closed (``RequestDeadlineHandler``);
///   Hummingbird's `idleTimeout` (default: the same) backs it up.
public func buildCallbackApplication(
    receiver: CallbackReceiver, listen: ListenAddress, idleTimeout: Duration? = nil,
    services: [any Service] = [], onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }, logger: Logger
) -> Application<RouterResponder<CallbackRequestContext>> {
    let parts = CallbackServerParts(receiver: receiver, idleTimeout: idleTimeout, logger: logger)
    return Application(
        router: parts.router,
        server: .http1(configuration: parts.http1),
        configuration: .init(
            address: .hostname(listen.host, port: listen.port), serverName: CallbackServerParts.serverName,
            availableConnectionsDelegate: parts.connections),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? listen.port) },
        logger: logger)
}

/// Where the callback receiver accepts connections.
public enum CallbackListener: Sendable, Equatable {
    /// `[callbacks] listen`, bound by the receiver.
    case address(ListenAddress)
    /// A listening socket systemd passed (``ListenedSockets``, name `callbacks`).
    case passedSocket(Int32)
}

/// The callback receiver's server on `listener`: the `Application` above on
/// an address, or the same routes and limits on a socket systemd passed.
public func buildCallbackServer(
    receiver: CallbackReceiver, listener: CallbackListener, idleTimeout: Duration? = nil,
    services: [any Service] = [], onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }, logger: Logger
) -> any Service {
    switch listener {
    case .address(let listen):
        return buildCallbackApplication(
            receiver: receiver, listen: listen, idleTimeout: idleTimeout, services: services, onServerRunning: onServerRunning, logger: logger)
    case .passedSocket(let descriptor):
        let parts = CallbackServerParts(receiver: receiver, idleTimeout: idleTimeout, logger: logger)
        let server = ListenedSocketServer(
            descriptor: descriptor, responder: parts.router.buildResponder(), http1: parts.http1, connections: parts.connections,
            serverName: CallbackServerParts.serverName, onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        return ServiceGroup(configuration: .init(services: services.map { .init(service: $0) } + [.init(service: server)], logger: logger))
    }
}

/// What every callback server is made of, whatever it listens on: the
/// routes behind the authentication middleware, the HTTP/1 handlers with the
/// request deadline, the connection limit.
struct CallbackServerParts {
    static let serverName = "callspool-callbacks"
    let router: Router<CallbackRequestContext>
    let http1: HTTP1Channel.Configuration
    let connections: CallbackConnectionLimit

    init(receiver: CallbackReceiver, idleTimeout: Duration?, logger: Logger) {
        let settings = receiver.settings
        router = Router(context: CallbackRequestContext.self)
        let routes = router.group().add(middleware: CallbackAuthMiddleware(receiver: receiver))
        for path in settings.paths {
            routes.post(RouterPath(path)) { request, context -> Response in
                await receiver.respond(to: request, nonce: context.callbackNonce)
            }
        }
        let idle = TimeAmount(idleTimeout ?? settings.readTimeout)
        let deadline = TimeAmount(settings.readTimeout)
        let metrics = receiver.metrics
        http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(timeout: deadline) { metrics.countCallbackDeadlineClose() }],
            idleTimeout: idle)
        connections = CallbackConnectionLimit(maxConnections: settings.maxConnections, logger: logger)
    }
}

extension TimeAmount {
    /// `duration` to the nanosecond (saturating).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = .nanoseconds(overflow ? .max : nanos &+ attoseconds / 1_000_000_000)
    }
}
