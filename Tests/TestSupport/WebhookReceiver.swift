import Foundation
import Synchronization

/// A webhook receiver for tests: an HTTP/1.1 server on a loopback port that
/// records every request (head and body) and answers each with the status
/// `answer` picks (or holds it without answering), one thread per
/// connection, `Connection: close` on every answer.
public final class WebhookReceiver: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: [UInt8]

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// What to do with the `index`-th request (0-based).
    public enum Answer: Sendable {
        case status(Int)
        /// Read the request, answer nothing, close after `seconds`.
        case hold(seconds: Double)
    }

    public let port: Int
    private let listener: Int32
    private final class Log: Sendable {
        let requests = Mutex<[Request]>([])
    }

    private let received = Log()

    public init(answer: @escaping @Sendable (Int, Request) -> Answer = { _, _ in .status(200) }) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        let received = received
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                Thread.detachNewThread {
                    defer { close(client) }
                    guard let request = Self.read(client) else { return }
                    let index = received.requests.withLock { list in
                        list.append(request)
                        return list.count - 1
                    }
                    switch answer(index, request) {
                    case .status(let status):
                        let head = "HTTP/1.1 \(status) Status\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                        _ = head.withCString { write(client, $0, strlen($0)) }
                    case .hold(let seconds):
                        Thread.sleep(forTimeInterval: seconds)
                    }
                }
            }
        }
    }

    /// The requests so far, in arrival order.
    public var requests: [Request] { received.requests.withLock { $0 } }

    public var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Reads one request: the head up to a blank line, then Content-Length bytes (at most 4 MiB).
    static func read(_ fd: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headEnd: Int?
        var contentLength = 0
        while true {
            if let end = headEnd, data.count >= end + contentLength { break }
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count <= 0 { return nil }
            data += buffer[0..<count]
            if data.count > 4 << 20 { return nil }
            if headEnd == nil, let range = data.firstRange(of: Array("\r\n\r\n".utf8)) {
                headEnd = range.upperBound
                let head = String(decoding: data[0..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        guard let end = headEnd else { return nil }
        let lines = String(decoding: data[0..<(end - 4)], as: UTF8.self).split(separator: "\r\n").map(String.init)
        let start = lines.first?.split(separator: " ") ?? []
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(
            method: start.first.map(String.init) ?? "", path: start.count > 1 ? String(start[1]) : "", headers: headers,
            body: Array(data[end..<(end + contentLength)]))
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
