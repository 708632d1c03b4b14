import Hummingbird
import ServiceLifecycle

extension VoiceCallSimulator {
    /// Runs the simulator until SIGINT or SIGTERM, then shuts down gracefully
    /// (in-flight playback is cancelled, the outbound HTTP client closed).
    /// `onReady` receives the bound port once the server listens.
    public func runStandalone(
        host: String, port: Int, onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = makeApplication(host: host, port: port, onServerRunning: onReady)
        let group = ServiceGroup(
            configuration: .init(
                services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: configuration.logger))
        try await group.run()
    }
}
