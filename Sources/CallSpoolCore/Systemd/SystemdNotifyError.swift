/// Why a notification to systemd could not be sent.
public struct SystemdNotifyError: Error, CustomStringConvertible, Sendable {
    public var socket: String
    public var message: String

    public var description: String { "cannot notify systemd via NOTIFY_SOCKET=\(socket): \(message)" }
}
