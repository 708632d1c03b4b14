import NIOCore
import NIOPosix
import Synchronization

/// A platform-wide transport fault, switched on and off at run time: what a
/// platform, a proxy or a network in between does on a bad day. Each one
/// leaves a client unsure whether a call was placed (or sure it was not),
/// which is what callspool's transport handling is tested against. No call
/// is ever placed while a fault is on.
public enum ConnectionFault: Sendable, Hashable {
    /// Read the whole request, then close the connection without answering.
    case closeAfterRequest
    /// Read the whole request and never answer (until the fault is cleared).
    case hang
    /// Reset every new connection before reading anything.
    case resetOnConnect
    /// Answer `307 Temporary Redirect` to `location`.
    case redirect(location: String)
}

/// The fault in force, read by every connection and request.
final class ConnectionFaultSwitch: Sendable {
    private let current = Mutex<ConnectionFault?>(nil)
    private let count = Mutex(0)

    var fault: ConnectionFault? { current.withLock { $0 } }

    func set(_ fault: ConnectionFault?) { current.withLock { $0 = fault } }

    /// Connections or requests a fault was applied to so far.
    var hits: Int { count.withLock { $0 } }

    func hit() { count.withLock { $0 += 1 } }
}

/// Resets new connections while ``ConnectionFault/resetOnConnect`` is on
/// (SO_LINGER 0, so the peer sees RST, not an orderly close).
final class ResetOnConnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let faults: ConnectionFaultSwitch

    init(faults: ConnectionFaultSwitch) { self.faults = faults }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { resetIfFaulty(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        resetIfFaulty(context)
        context.fireChannelActive()
    }

    private func resetIfFaulty(_ context: ChannelHandlerContext) {
        guard faults.fault == .resetOnConnect else { return }
        faults.hit()
        // On the channel's event loop the option is set at once, before the close.
        if let socket = context.channel as? any SocketOptionProvider {
            _ = socket.setSoLinger(linger(l_onoff: 1, l_linger: 0))
        }
        context.close(promise: nil)
    }
}
