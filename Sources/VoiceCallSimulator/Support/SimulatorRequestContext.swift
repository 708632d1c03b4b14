import Hummingbird
import Logging
import NIOCore

/// The request context of the simulator's router. It keeps the connection's
/// channel so the "drop the response" fault can close it without answering.
public struct SimulatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
