import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A datagram Unix socket the test owns, standing in for systemd's
/// `$NOTIFY_SOCKET`: bound to a temporary path (or an abstract name), read
/// with a short receive timeout.
final class NotifySocketListener: @unchecked Sendable {
    let address: String
    private let fd: Int32
    private let directory: TemporaryDirectory?

    /// - Parameter abstract: bind to an abstract-namespace name (`@…`).
    init(abstract: Bool = false) throws {
        let dir = abstract ? nil : try TemporaryDirectory()
        directory = dir
        address = abstract ? "@callspool-test-\(UUID().uuidString.prefix(12))" : (dir?.path ?? "") + "/notify.sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var sockaddr = sockaddr_un()
        sockaddr.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &sockaddr.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &sockaddr) { pointer in
            pointer.withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// One datagram, or nil after the 100 ms receive timeout.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Datagrams until one contains `needle` or `timeout` passes, read on a
    /// dispatch queue (the receive blocks).
    func messages(until needle: String, timeout: Duration = .seconds(30)) async -> [String] {
        // A thread of its own: under a loaded test run the shared dispatch
        // pool may be busy with blocking store calls for longer than the wait.
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.blockingMessages(until: needle, timeout: timeout)) }.start()
        }
    }

    private func blockingMessages(until needle: String, timeout: Duration) -> [String] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var seen: [String] = []
        while ContinuousClock.now < deadline {
            guard let message = receive() else { continue }
            seen.append(message)
            if message.contains(needle) { break }
        }
        return seen
    }
}
