import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// Serves the daemon's metrics as Prometheus text at `GET /metrics` on
/// `metrics.listen`, from a small Hummingbird application of its own (so a
/// scraper never competes with the platform's callbacks), and runs the
/// ``MetricsRefresher`` beside it. Anything but `GET /metrics` is 404/405.
public struct MetricsService: Service {
    public let registry: PrometheusCollectorRegistry
    public let listen: ListenAddress
    let refresher: MetricsRefresher?
    let onServerRunning: @Sendable (Int) async -> Void
    let logger: Logger

    /// - Parameters:
    ///   - registry: what to serve (the registry of ``CallspoolMetrics/prometheus(registry:)``).
    ///   - refresher: keeps the state gauges current while the server runs.
    ///   - onServerRunning: called with the bound port (useful with port 0).
    public init(
        registry: PrometheusCollectorRegistry, listen: ListenAddress, refresher: MetricsRefresher?,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }, logger: Logger
    ) {
        self.registry = registry
        self.listen = listen
        self.refresher = refresher
        self.onServerRunning = onServerRunning
        self.logger = logger
    }

    /// The Prometheus text exposition format, version 0.0.4.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public func makeApplication() -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/metrics") { [registry] _, _ -> Response in
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            response.headers[.contentType] = Self.contentType
            return response
        }
        let onServerRunning = self.onServerRunning
        let port = listen.port
        return Application(
            router: router,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "callspool-metrics"),
            services: refresher.map { [$0] } ?? [],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Runs the application as a service of the daemon's group (`run()`, not
    /// `runService()`: the latter installs its own SIGTERM handler, so the
    /// metrics server stopped on its own, before the group asked, and the
    /// group failed the exit with "a service has finished unexpectedly").
    public func run() async throws {
        logger.info("metrics served", metadata: ["listen": "\(listen)", "path": "/metrics"])
        try await makeApplication().run()
    }
}
