import HummingbirdCore
import Logging

/// `callbacks.max_connections` for the callback server.
///
/// Hummingbird's server channel asks this before every accept: at the limit
/// it stops accepting, and new connections wait in the kernel's listen
/// backlog until one closes (every connection is bounded by
/// `callbacks.read_timeout`, so one frees soon). Not accepting, rather than
/// accepting and closing at once, is what protects the daemon: a waiting
/// connection costs the daemon no descriptor and no work, and a genuine push
/// queued behind a flood is still served a moment later instead of being
/// reset (the platform does not re-send status events). Logs a warning when
/// the limit is reached, again only after the count fell below half of it.
package struct CallbackConnectionLimit: AvailableConnectionsDelegate {
    let maxConnections: Int
    let logger: Logger
    /// Names the server and its setting in the warning.
    let server: String
    let key: String
    private var open = 0
    private var warned = false

    package init(maxConnections: Int, logger: Logger, server: String = "callback receiver", key: String = "callbacks.max_connections") {
        self.maxConnections = max(1, maxConnections)
        self.logger = logger
        self.server = server
        self.key = key
    }

    package mutating func connectionOpened() {
        open += 1
        if open >= maxConnections, !warned {
            warned = true
            logger.warning(
                "\(server) at \(key) (\(maxConnections)) open connections: new connections wait in the listen backlog until one closes")
        }
    }

    package mutating func connectionClosed() {
        open -= 1
        if warned, open < maxConnections / 2 { warned = false }
    }

    package func isAcceptingNewConnections() -> Bool {
        open < maxConnections
    }
}
