import Foundation

/// A one-thread HTTP server on a loopback port that answers every request
/// with a fixed `Date` header (or none, or never), recording request lines
/// and headers, for `callspool check`'s clock test.
final class DateServer: @unchecked Sendable {
    enum Behavior {
        case date(String)
        case noDate
        case silent
    }

    let port: Int
    private let socket: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var open: [Int32] = []

    init(_ behavior: Behavior) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        socket = fd
        let listener = fd
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = read(client, &buffer, buffer.count)
                let request = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
                lock.withLock { received.append(request); open.append(client) }
                let head: String
                switch behavior {
                case .date(let date): head = "HTTP/1.1 404 Not Found\r\nDate: \(date)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                case .noDate: head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                case .silent: continue
                }
                _ = head.withCString { write(client, $0, strlen($0)) }
                close(client)
                lock.withLock { open.removeAll { $0 == client } }
            }
        }
    }

    var requests: [String] { lock.withLock { received } }

    deinit {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
        for client in open { close(client) }
    }

    /// `date` as an HTTP Date header value.
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
