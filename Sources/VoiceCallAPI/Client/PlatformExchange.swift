import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// One request to the platform and its answer, recording how far the request
/// got: whether it was written whole before anything failed.
///
/// That fact, not the wording of an error, is what separates a request that
/// cannot have reached the platform (retry it) from one that may have placed
/// a call (never re-send it blindly). A failure before the last byte of the
/// request was handed to the socket — socket creation (EMFILE, ENFILE), DNS,
/// connect, TLS handshake, a full connection pool — leaves the platform with
/// at most part of a request, which it cannot act on.
final class PlatformExchange: HTTPClientResponseDelegate, Sendable {
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    /// The answer's body exceeded the cap.
    struct BodyTooLarge: Error, CustomStringConvertible {
        var limit: Int
        var description: String { "response body larger than \(limit) bytes" }
    }

    typealias Response = Answer

    let maxBodyBytes: Int
    private let written = Atomic<Bool>(false)
    private let state = Mutex<Answer>(Answer(status: 0, headers: [:], body: []))

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    /// Whether the whole request (head and body) was written to the connection.
    var requestWritten: Bool { written.load(ordering: .acquiring) }

    func didSendRequest(task: HTTPClient.Task<Answer>) {
        written.store(true, ordering: .releasing)
    }

    func didReceiveHead(task: HTTPClient.Task<Answer>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLock { answer in
            answer.status = Int(head.status.code)
            answer.headers = head.headers
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Answer>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let fits = state.withLock { answer -> Bool in
            guard answer.body.count + buffer.readableBytes <= maxBodyBytes else { return false }
            answer.body += buffer.readableBytesView
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(BodyTooLarge(limit: maxBodyBytes))
    }

    func didFinishRequest(task: HTTPClient.Task<Answer>) throws -> Answer {
        state.withLock { $0 }
    }
}
