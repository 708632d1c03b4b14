import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a callback connection whose request is not complete in time, and
/// one whose answer says `Connection: close` once that answer is written.
///
/// Hummingbird's idle timeout is reset by every byte, so a client trickling
/// one byte every few seconds (headers or body) would hold its connection,
/// and its descriptor, forever. This handler (one per connection, after the
/// HTTP decoder) arms a deadline of `timeout` when the connection opens and
/// again after each response, and cancels it when a request's last part
/// arrives: a whole request must arrive within `timeout` however slowly its
/// bytes come, and an idle keep-alive connection lasts at most `timeout`.
/// While a request is being answered no deadline runs (storing may take a
/// while). Everything runs on the channel's event loop.
package final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPRequestPart
    package typealias InboundOut = HTTPRequestPart
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private let onExpired: @Sendable () -> Void
    private var deadline: Scheduled<Void>?
    /// Requests fully received and not yet answered.
    private var unanswered = 0
    private var closeAfterResponse = false

    /// - Parameter onExpired: called when a deadline closes a connection (metrics, logs).
    package init(timeout: TimeAmount, onExpired: @escaping @Sendable () -> Void = {}) {
        self.timeout = timeout
        self.onExpired = onExpired
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    package func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            // A pipelined request while an answer is pending: bound it too.
            arm(context)
        case .body:
            break
        case .end:
            cancel()
            unanswered += 1
        }
        context.fireChannelRead(data)
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            if closeAfterResponse {
                // The answer first, then the close, whatever is still unread.
                let written = context.eventLoop.makePromise(of: Void.self)
                if let promise { written.futureResult.cascade(to: promise) }
                let channel = context.channel
                written.futureResult.whenComplete { _ in channel.close(promise: nil) }
                context.writeAndFlush(data, promise: written)
                return
            }
            unanswered = max(0, unanswered - 1)
            context.write(data, promise: promise)
            if unanswered == 0 { arm(context) }
        }
    }

    /// Starts the deadline unless one is running.
    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let onExpired = onExpired
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, self.deadline != nil else { return }
            self.deadline = nil
            onExpired()
            context.close(promise: nil)
        }
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }
}
