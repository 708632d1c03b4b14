import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// The callback receiver alone (``buildCallbackApplication(receiver:listen:idleTimeout:services:onServerRunning:logger:)``)
/// on a free loopback port over an in-memory store, for tests that need real
/// connections (deadlines, connection limits) rather than the router.
struct LiveCallbackServer: Sendable {
    static let statusURL = "https://cb.example.com/cb/status"
    static let feeURL = "https://cb.example.com/cb/fee"
    static let credentials = AppCredentials(appKey: "app-key-1", appSecret: "app-secret-1")

    let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    struct StartFailed: Error {}

    /// - Parameter idleTimeout: Hummingbird's idle timeout; long by default so
    ///   only the request deadline can explain a close.
    static func start(maxConnections: Int = 512, readTimeout: Duration, idleTimeout: Duration = .seconds(60)) async throws -> LiveCallbackServer {
        let settings = CallbackReceiver.Settings(
            statusURL: try CallbackURL(statusURL), feeURL: try CallbackURL(feeURL), bodyTimeout: readTimeout,
            maxConnections: maxConnections, readTimeout: readTimeout)
        let logger = TestLogging.logger("callbacks")
        let receiver = try CallbackReceiver(
            database: try AppDatabase.inMemory(), settings: settings, credentials: credentials, clock: SystemWallClock(), logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildCallbackApplication(
            receiver: receiver, listen: ListenAddress(host: "127.0.0.1", port: 0), idleTimeout: idleTimeout, onServerRunning: { continuation.yield($0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw StartFailed()
        }
        return LiveCallbackServer(port: port, group: group, task: task)
    }

    /// An `X-AKSK` header line valid now for the status URL.
    static func signedHeaderLine(nonce: String = UUID().uuidString) -> String {
        let created = CivilTime.formatCreated(epochSeconds: Int64(Date().timeIntervalSince1970))
        let digest = Digest.callback(appSecret: credentials.appSecret, url: statusURL, nonce: nonce, created: created, separated: true)
        return "X-AKSK: " + RequestSigner.token(appKey: credentials.appKey, digest: digest, nonce: nonce, created: created) + "\r\n"
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
