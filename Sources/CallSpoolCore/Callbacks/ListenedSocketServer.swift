import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// An HTTP/1 server that accepts on a listening socket it was handed by
/// systemd (``ListenedSockets``) instead of binding one: Hummingbird's
/// `Application` can only bind an address.
///
/// It keeps the promises of the callback receiver's `Application`: the same
/// router and child-channel handlers, at most `connections` served at once
/// (more wait in the backlog), a handler that throws answers 500, and a
/// graceful shutdown that stops accepting and waits for the requests in
/// flight (NIOExtras' quiescing), so nothing committed goes unanswered.
/// Connections the kernel queued while no process ran are accepted first.
/// `secure` wraps the HTTP/1 child channel (the HTTP API's TLS, with
/// HummingbirdTLS' `TLSChannel`), so a passed socket can serve HTTPS as a
/// bound one does.
package struct ListenedSocketServer<Responder: HTTPResponder, Limit: AvailableConnectionsDelegate>: Service
where Responder.Context: RequestContext, Responder.Context.Source == ApplicationRequestContextSource {
    let descriptor: Int32
    let responder: Responder
    let http1: HTTP1Channel.Configuration
    let connections: Limit
    let serverName: String
    let onServerRunning: @Sendable (any Channel) async -> Void
    let secure: @Sendable (HTTP1Channel) throws -> any ServerChildChannel
    let logger: Logger

    package init(
        descriptor: Int32, responder: Responder, http1: HTTP1Channel.Configuration, connections: Limit, serverName: String,
        secure: @escaping @Sendable (HTTP1Channel) throws -> any ServerChildChannel = { $0 },
        onServerRunning: @escaping @Sendable (any Channel) async -> Void, logger: Logger
    ) {
        self.secure = secure
        self.descriptor = descriptor
        self.responder = responder
        self.http1 = http1
        self.connections = connections
        self.serverName = serverName
        self.onServerRunning = onServerRunning
        self.logger = logger
    }

    package func run() async throws {
        let responder = self.responder, logger = self.logger, serverName = self.serverName
        let child = HTTP1Channel(
            responder: { request, writer, channel in
                let context = Responder.Context(source: .init(channel: channel, logger: logger))
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch let error as HTTPParserError {
                    throw error
                } catch {
                    response = Response(status: .internalServerError)
                }
                response.headers[.server] = serverName
                try await writer.write(response: response.head, body: response.body)
            }, configuration: http1)
        try await serve(try secure(child))
    }

    private func serve<Child: ServerChildChannel>(_ child: Child) async throws {
        let logger = self.logger, serverName = self.serverName
        let group = MultiThreadedEventLoopGroup.singleton
        let quiescing = ServerQuiescingHelper(group: group)
        let connections = self.connections
        let server = try await ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AvailableConnectionsChannelHandler(delegate: connections))
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .bind(descriptor) { channel in child.setup(channel: channel, logger: logger) }
        logger.info("server accepting on the socket systemd passed", metadata: [
            "fd": "\(descriptor)", "address": "\(server.channel.localAddress.map { "\($0)" } ?? "?")", "server": "\(serverName)",
        ])
        await withGracefulShutdownHandler {
            await onServerRunning(server.channel)
            await withDiscardingTaskGroup { tasks in
                do {
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            tasks.addTask { await child.handle(value: connection, logger: logger) }
                        }
                    }
                } catch {
                    logger.error("accepting on the socket systemd passed failed: \(error)")
                }
            }
        } onGracefulShutdown: {
            quiescing.initiateShutdown(promise: nil)
        }
    }
}
