import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import VoiceCallAPI

/// The platform uses short connections: callspool sends every request on a
/// connection of its own and asks the server to close it (`Connection:
/// close`), so no request goes out on an idle connection the server may have
/// just closed (which would make the job `unknown`).
@Suite struct ShortConnectionTests {
    /// A keep-alive HTTP/1.1 server that answers every request with success
    /// and records the connections it accepted and the requests' heads.
    final class Tally: Sendable {
        let connections = Mutex(0)
        let heads = Mutex<[String]>([])
    }

    final class KeepAliveServer: Sendable {
        let tally = Tally()
        let channel: any Channel

        init() async throws {
            let tally = tally
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { child in
                    tally.connections.withLock { $0 += 1 }
                    return child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandler(RequestHandler(tally: tally))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
        }

        var port: Int { channel.localAddress?.port ?? 0 }
        func close() async throws { try await channel.close() }
    }

    /// Reads a request head and its Content-Length body, answers, and keeps
    /// the connection open for the next request.
    final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let tally: Tally
        var pending: [UInt8] = []

        init(tally: Tally) { self.tally = tally }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            pending += Array(unwrapInboundIn(data).readableBytesView)
            while let head = RequestFraming.takeRequest(from: &pending) {
                tally.heads.withLock { $0.append(head) }
                let body = #"{"resultcode":"0","resultdesc":"Success","sessionId":"s-1","idlePort":"9"}"#
                let response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response)), promise: nil)
            }
        }
    }

    @Test func everyRequestOpensItsOwnConnectionAndAsksToCloseIt() async throws {
        let server = try await KeepAliveServer()
        let service = HTTPClientService()
        let client = VoiceCallClient(
            configuration: .init(baseURL: "http://127.0.0.1:\(server.port)"),
            signer: RequestSigner(credentials: Vector.credentials), httpClient: service.client)
        for n in 0..<3 {
            let request = CallVerifyRequest(
                displayNbr: "+8675528000088", calleeNbr: "+861380000000\(n)", preTone: "otp_pre.wav", verifyCode: "4829")
            let result = await client.verify(request)
            guard case .accepted = result else {
                Issue.record("request \(n): expected acceptance, got \(result)")
                break
            }
        }
        try await service.shutdown()
        try await server.close()
        let heads = server.tally.heads.withLock { $0 }
        #expect(heads.count == 3)
        #expect(heads.allSatisfy { $0.lowercased().contains("\r\nconnection: close") })
        #expect(server.tally.connections.withLock { $0 } == 3)
    }
}
