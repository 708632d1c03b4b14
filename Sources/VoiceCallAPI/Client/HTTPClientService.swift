import AsyncHTTPClient
import Logging
import ServiceLifecycle

/// Owns the process's one `HTTPClient` and shuts it down when the service group
/// stops, after the services that use it (it is started first).
public struct HTTPClientService: Service {
    public let client: HTTPClient

    public init(connectTimeout: Duration = .seconds(5), readTimeout: Duration = .seconds(15), maxConnections: Int = 64) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .init(connectTimeout), read: .init(readTimeout))
        // Requests carry `Connection: close` (see VoiceCallClient); a short
        // idle timeout is a second guard should a server keep one open.
        configuration.connectionPool = .init(idleTimeout: .seconds(1), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnections)
        configuration.maximumUsesPerConnection = 1
        configuration.decompression = .disabled
        // A redirect would re-send the signed headers and the body (a
        // verification code) to another host: answers are taken as they come.
        configuration.redirectConfiguration = .disallow
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func run() async throws {
        // Wait for the group to stop (the services using the client stop first),
        // then close every connection.
        try? await gracefulShutdown()
        try await client.shutdown()
    }

    /// Shuts the client down outside a service group (CLI, tests).
    public func shutdown() async throws {
        try await client.shutdown()
    }
}
