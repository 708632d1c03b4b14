import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

/// The simulator closes every connection after its answer, as the
/// reference says the platform does ("短连接"), whatever the client asked.
@Suite struct SimulatorShortConnectionTests {
    /// Collects what the server sends and completes when it closes the connection.
    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var received: [UInt8] = []
        let closed: EventLoopPromise<[UInt8]>

        init(closed: EventLoopPromise<[UInt8]>) { self.closed = closed }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += Array(unwrapInboundIn(data).readableBytesView)
        }

        func channelInactive(context: ChannelHandlerContext) {
            closed.succeed(received)
        }
    }

    @Test(.timeLimit(.minutes(1))) func aKeepAliveRequestGetsConnectionCloseAndTheConnectionEnds() async throws {
        let harness = SimulatorHarness()
        try await harness.simulator.makeApplication(port: 0).test(.live) { client in
            let port = try #require(client.port)
            let group = MultiThreadedEventLoopGroup.singleton
            let closed = group.any().makePromise(of: [UInt8].self)
            let channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(closed: closed)) }
                }
                .connect(host: "127.0.0.1", port: port).get()
            // HTTP/1.1 keeps the connection by default; the body is refused
            // (unsigned), which is still an answer.
            let request = "POST \(CallNotifyRequest.path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            try await channel.writeAndFlush(ByteBuffer(string: request))
            // If the server kept the connection, this never completes and the time limit fails the test.
            let received = String(decoding: try await closed.futureResult.get(), as: UTF8.self).lowercased()
            #expect(received.hasPrefix("http/1.1 "))
            #expect(received.contains("\r\nconnection: close\r\n"))
        }
    }
}
