#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Speaks systemd's notify protocol (`sd_notify(3)`) without libsystemd: one
/// datagram of `KEY=VALUE` lines to the Unix socket named by `$NOTIFY_SOCKET`
/// (a path, or an abstract-namespace name written with a leading `@`).
///
/// Each ``send(_:)`` opens, uses and closes its own socket, so the value is
/// freely shareable across tasks. Without `$NOTIFY_SOCKET` (not started by
/// systemd, or `Type=` other than notify) there is no notifier at all:
/// ``init(environment:)`` returns nil and callers skip notifying.
public struct SystemdNotifier: Sendable {
    /// The socket address as given in `$NOTIFY_SOCKET`.
    public let socketPath: String

    public init?(environment: [String: String]) {
        guard let path = environment["NOTIFY_SOCKET"], path.hasPrefix("/") || path.hasPrefix("@") else { return nil }
        self.init(socketPath: path)
    }

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// Sends `state`, e.g. `"READY=1"` or `"STATUS=…\nWATCHDOG=1"`.
    public func send(_ state: String) throws(SystemdNotifyError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        let abstract = pathBytes.first == UInt8(ascii: "@")
        if abstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { throw SystemdNotifyError(socket: socketPath, message: "socket path longer than \(capacity - 1) bytes") }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        // Abstract names are exactly as long as given; paths carry their NUL.
        let length = socklen_t(pathOffset + pathBytes.count + (abstract ? 0 : 1))
        #if canImport(Glibc) || canImport(Musl)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { throw SystemdNotifyError(socket: socketPath, message: "socket(): \(Self.lastError())") }
        defer { close(fd) }
        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        let bytes = Array(state.utf8)
        let sent = bytes.withUnsafeBytes { payload in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(fd, payload.baseAddress, payload.count, flags, socketAddress, length)
                }
            }
        }
        guard sent == bytes.count else { throw SystemdNotifyError(socket: socketPath, message: "sendto(): \(Self.lastError())") }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
