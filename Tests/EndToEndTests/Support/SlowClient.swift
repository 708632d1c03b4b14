import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A raw TCP client that sends `prefix` at once, then one byte of `trickle`
/// every `interval` (never finishing), and records when the server closed
/// the connection: the abusive client of issue 11 (an unauthenticated push
/// trickling its headers or body).
final class SlowClient: Sendable {
    let channel: any Channel
    let connectedAt: ContinuousClock.Instant
    private let closedAt = Mutex<ContinuousClock.Instant?>(nil)
    private let received = Mutex<String>("")
    /// Trickled bytes so far.
    private let sent = Mutex(0)

    /// Connects to 127.0.0.1:`port` on `group`.
    static func connect(port: Int, prefix: String, trickle: String, interval: TimeAmount, group: any EventLoopGroup) async throws -> SlowClient {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let client = SlowClient(channel: channel, connectedAt: .now)
        collector.client.withLock { $0 = client }
        channel.closeFuture.whenComplete { _ in client.closedAt.withLock { $0 = .now } }
        channel.writeAndFlush(ByteBuffer(string: prefix), promise: nil)
        let bytes = Array(trickle.utf8)
        channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { task in
            guard channel.isActive else {
                task.cancel()
                return
            }
            let next = client.sent.withLock { index -> UInt8 in
                defer { index += 1 }
                return bytes.isEmpty ? UInt8(ascii: "x") : bytes[index % bytes.count]
            }
            channel.writeAndFlush(ByteBuffer(bytes: [next]), promise: nil)
        }
        return client
    }

    private init(channel: any Channel, connectedAt: ContinuousClock.Instant) {
        self.channel = channel
        self.connectedAt = connectedAt
    }

    /// When the connection closed; nil while it is open.
    var closedAtInstant: ContinuousClock.Instant? { closedAt.withLock { $0 } }

    /// How long the connection lived; nil while it is open.
    var lifetime: Duration? { closedAt.withLock { $0 }.map { $0 - connectedAt } }

    /// What the server sent.
    var response: String { received.withLock { $0 } }

    /// Waits for the close (the observable event), at most `timeout`.
    func waitForClose(timeout: Duration) async throws -> Duration? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let lifetime { return lifetime }
            try await Task.sleep(for: .milliseconds(20))
        }
        return lifetime
    }

    func close() { channel.close(promise: nil) }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let client = Mutex<SlowClient?>(nil)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            let text = String(buffer: buffer)
            client.withLock { $0 }?.received.withLock { $0 += text }
        }
    }
}
