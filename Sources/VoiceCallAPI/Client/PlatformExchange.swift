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
    private let progress: Mutex<RequestProgress>
    private let state = Mutex<Answer>(Answer(status: 0, headers: [:], body: []))

    /// - Parameter requestBodyBytes: the length of the request's body.
    init(maxBodyBytes: Int, requestBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        progress = Mutex(RequestProgress(bodyBytes: requestBodyBytes))
    }

    /// Whether the whole request (head and every body byte) was written to
    /// the connection.
    var requestWritten: Bool { progress.withLock { $0.isWhole } }

    func didSendRequestHead(task: HTTPClient.Task<Answer>, _ head: HTTPRequestHead) {
        progress.withLock { $0.headSent = true }
    }

    func didSendRequestPart(task: HTTPClient.Task<Answer>, _ part: IOData) {
        progress.withLock { $0.bodyBytesSent += part.readableBytes }
    }

    func didSendRequest(task: HTTPClient.Task<Answer>) {
        progress.withLock { $0.finished = true }
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

/// How far a request got on the connection.
///
/// The request counts as whole once its head and its last body byte were
/// written, without waiting for the client's own end-of-request mark: for a
/// fixed-length body that mark writes nothing, and the platform may read the
/// last byte, place the call and close the connection before the mark is
/// made (seen under load). Waiting for it took a placed call for a request
/// never sent, and the job was sent again: its callee was called twice.
struct RequestProgress: Sendable, Equatable {
    var headSent = false
    var bodyBytesSent = 0
    /// The client marked the request finished (`didSendRequest`).
    var finished = false
    let bodyBytes: Int

    init(bodyBytes: Int) { self.bodyBytes = bodyBytes }

    var isWhole: Bool { finished || (headSent && bodyBytesSent >= bodyBytes) }
}
