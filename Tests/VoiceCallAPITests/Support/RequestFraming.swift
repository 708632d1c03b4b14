import Foundation

/// Cuts whole HTTP/1.1 requests (head and Content-Length body) out of bytes
/// read from a raw test server's connection.
enum RequestFraming {
    /// Removes the first complete request from `pending` and returns its head,
    /// or nil while it is not all there yet.
    static func takeRequest(from pending: inout [UInt8]) -> String? {
        guard let end = pending.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
        let length = head.split(separator: "\r\n").compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        guard pending.count >= end.upperBound + length else { return nil }
        pending.removeFirst(end.upperBound + length)
        return head
    }
}
