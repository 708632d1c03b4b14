import CallSpoolCore
import CallSpoolOpenAPI
import Hummingbird
import HummingbirdTLS
import NIOSSL
import HummingbirdCore
import Logging
import NIOCore
import OpenAPIHummingbird
import ServiceLifecycle

/// The HTTP API of `callspool run` (docs/api.md): the generated routes of
/// docs/api/openapi.yaml behind ``APIGate``, on `[api] listen` or on the
/// socket systemd passed under the name `api`.
///
/// Exists as a swift-service-lifecycle `Service` of the daemon's group, so a
/// graceful shutdown stops accepting and waits for requests in flight (a
/// committed job is always answered). Keeps the callback port's bounds: at
/// most `callbacks.max_connections` connections served (more wait in the
/// backlog), a whole request within `callbacks.read_timeout`
/// (``RequestDeadlineHandler``), bodies up to ``Limits/maxBodyBytes``.
enum APIServer {
    static let serverName = "callspool-api"

    /// The bounds of the API's server.
    struct Limits: Sendable {
        var maxBodyBytes = 16 << 20
        var bodyTimeout: Duration = .seconds(10)
        var readTimeout: Duration = .seconds(10)
        var maxConnections = 512

        init() {}

        init(_ callbacks: CallSpoolCore.Configuration.Callbacks) {
            bodyTimeout = callbacks.readTimeout
            readTimeout = callbacks.readTimeout
            maxConnections = callbacks.maxConnections
        }
    }

    /// Where the API accepts connections.
    enum Listener: Sendable, Equatable {
        case address(ListenAddress)
        case passedSocket(Int32)
    }

    static func router(
        operations: APIOperations, keyring: APIKeyring, limits: Limits, metrics: CallspoolMetrics? = nil, logger: Logger
    ) throws -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: APIMethodCheck<BasicRequestContext>())
        let rateLimit = APIRateLimit(clients: operations.configuration.api.clients, clock: operations.clock)
        let gated = router.group().add(
            middleware: APIGate<BasicRequestContext>(
                keyring: keyring, rateLimit: rateLimit, maxBodyBytes: limits.maxBodyBytes, bodyTimeout: limits.bodyTimeout, metrics: metrics,
                logger: logger))
        try operations.registerHandlers(on: gated)
        return router
    }

    static func make(
        operations: APIOperations, keyring: APIKeyring, listener: Listener, limits: Limits, metrics: CallspoolMetrics? = nil, tls: TLSConfiguration? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }, logger: Logger
    ) throws -> any Service {
        let router = try router(operations: operations, keyring: keyring, limits: limits, metrics: metrics, logger: logger)
        let deadline = TimeAmount.milliseconds(Int64(limits.readTimeout / .milliseconds(1)))
        let handlers: @Sendable () -> [any RemovableChannelHandler] = { [RequestDeadlineHandler(timeout: deadline)] }
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: handlers(), idleTimeout: deadline)
        let connections = CallbackConnectionLimit(maxConnections: limits.maxConnections, logger: logger, server: "HTTP API", key: "callbacks.max_connections")
        switch listener {
        case .address(let listen):
            return Application(
                router: router, server: try tls.map { try .tls(.http1(configuration: http1), tlsConfiguration: $0) } ?? .http1(configuration: http1),
                configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: serverName, availableConnectionsDelegate: connections),
                onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? listen.port) },
                logger: logger)
        case .passedSocket(let descriptor):
            return ListenedSocketServer(
                descriptor: descriptor, responder: router.buildResponder(), http1: http1, connections: connections, serverName: serverName,
                secure: { child throws -> any ServerChildChannel in
                    guard let tls else { return child }
                    return try TLSChannel(child, tlsConfiguration: tls)
                },
                onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) }, logger: logger)
        }
    }
}
