import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes every connection after its first response, as the platform does:
/// the reference says the API uses short connections ("短连接"), so a client
/// that keeps a connection for reuse finds it closed by the server. The
/// simulator does the same, so callspool's client is tested against it.
final class ShortConnectionHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
        }
    }
}
