import CallSpoolCore
import NIOSSL
import Logging
import VoiceCallAPI
import ServiceLifecycle

extension CallspoolDaemon {
    /// The HTTP API's server for `callspool run` (docs/api.md), or nil when
    /// it is off: neither `[api] listen` set nor a socket named `api` passed
    /// by systemd. A socket systemd holds wins over binding `listen`.
    ///
    /// - Throws: ``ConfigurationError`` when the API would run without a
    ///   single client (every request would be refused).
    static func makeAPIServer(
        configuration: Configuration, database: any CallStore, policy: IntakePolicy, clock: any WallClock, listened: ListenedSockets,
        metrics: CallspoolMetrics? = nil, onQueued: @escaping @Sendable () -> Void = {}, onServerRunning: @escaping @Sendable (Int) async -> Void, logger: Logger
    ) throws -> (any Service)? {
        let listener: APIServer.Listener
        if let descriptor = listened.descriptor(named: "api") {
            listener = .passedSocket(descriptor)
            logger.notice("api: accepting on the socket systemd passed (fd \(descriptor)); [api] listen is not bound")
        } else if let listen = configuration.api.listen {
            listener = .address(listen)
        } else {
            return nil
        }
        guard !configuration.api.clients.isEmpty else {
            throw ConfigurationError(
                file: configuration.source, key: "api.clients",
                message: "the HTTP API is on but has no client: add an [api.clients.NAME] section with its token, or set [api] listen = \"\"")
        }
        let tls = try configuration.api.tls.map { files throws(ConfigurationError) in try APITLS.configuration(files, source: configuration.source) }
        var operations = APIOperations(database: database, policy: policy, configuration: configuration, clock: clock, logger: logger)
        operations.onQueued = onQueued
        logger.info("HTTP API configured", metadata: [
            "listen": "\(configuration.api.listen.map { "\($0)" } ?? "systemd socket")",
            "clients": "\(configuration.api.clients.map(\.name).joined(separator: ","))",
        ])
        return try APIServer.make(
            operations: operations, keyring: APIKeyring(clients: configuration.api.clients), listener: listener,
            limits: APIServer.Limits(configuration.callbacks), metrics: metrics, tls: tls, onServerRunning: onServerRunning, logger: logger)
    }
}
