import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// A client for the VoiceCall platform: signs and sends `callnotify` and
/// `callVerify`, and classifies the answer.
///
/// It borrows an `HTTPClient` owned by an ``HTTPClientService`` (one per
/// process). Every request is validated first; the body is collected with a
/// 1 MiB cap; a transport failure is reported as ``CallAttemptResult/notSent(reason:)``
/// only when the request cannot have reached the platform.
public struct VoiceCallClient: Sendable {
    public struct Configuration: Sendable {
        /// `https://host:port`, without a path.
        public var baseURL: String
        public var timeout: Duration
        public var createdClock: CreatedClock
        public var maxResponseBytes: Int

        public init(baseURL: String, timeout: Duration = .seconds(10), createdClock: CreatedClock = .utcPlus8, maxResponseBytes: Int = 1 << 20) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.timeout = timeout
            self.createdClock = createdClock
            self.maxResponseBytes = maxResponseBytes
        }
    }

    public var configuration: Configuration
    public var signer: RequestSigner
    public let httpClient: HTTPClient
    public var logger: Logger

    public init(configuration: Configuration, signer: RequestSigner, httpClient: HTTPClient, logger: Logger = Logger(label: "callspool.client")) {
        self.configuration = configuration
        self.signer = signer
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Places a voice notification.
    public func notify(_ request: CallNotifyRequest, createdClock: CreatedClock? = nil) async -> CallAttemptResult {
        if let failure = Self.invalid(request.validationIssues()) { return failure }
        return await send(path: CallNotifyRequest.path, body: request, createdClock: createdClock)
    }

    /// Places a voice verification code call.
    public func verify(_ request: CallVerifyRequest, createdClock: CreatedClock? = nil) async -> CallAttemptResult {
        if let failure = Self.invalid(request.validationIssues()) { return failure }
        return await send(path: CallVerifyRequest.path, body: request, createdClock: createdClock)
    }

    static func invalid(_ issues: [ValidationIssue]) -> CallAttemptResult? {
        guard !issues.isEmpty else { return nil }
        // Refused locally, as the platform would with 1020001.
        return .rejected(.init(httpStatus: 0, resultcode: "1020001", resultdesc: "refused before sending: " + ValidationFailure(issues).description))
    }

    private func send(path: String, body: some Encodable, createdClock: CreatedClock?) async -> CallAttemptResult {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let payload: Data
        do {
            payload = try encoder.encode(body)
        } catch {
            return .notSent(reason: "could not encode the request: \(error)")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json;charset=UTF-8")
        // The platform uses short connections (the server closes each one
        // after its answer). Reusing an idle pooled connection risks sending
        // on one the server has just closed, which looks like a lost answer
        // and makes the job `unknown`; so every request has its own.
        headers.add(name: "Connection", value: "close")
        for header in signer.headers(createdClock: createdClock ?? configuration.createdClock) {
            headers.add(name: header.name, value: header.value)
        }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: configuration.baseURL + path, method: .POST, headers: headers, body: .bytes(payload))
        } catch {
            return .notSent(reason: "invalid platform URL: \(error)")
        }
        let exchange = PlatformExchange(maxBodyBytes: configuration.maxResponseBytes, requestBodyBytes: payload.count)
        let deadline = NIODeadline.now() + TimeAmount(configuration.timeout)
        let task = httpClient.execute(request: request, delegate: exchange, deadline: deadline)
        let answer: PlatformExchange.Answer
        do {
            answer = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch {
            return Self.transportFailure(error, requestWritten: exchange.requestWritten)
        }
        if (300...399).contains(answer.status) {
            // Never followed: a redirect would re-send the signed headers and
            // the body (a verification code) to wherever it points.
            let location = answer.headers.first(name: "Location").map { String($0.prefix(200)) } ?? "(no Location)"
            return .rejected(.init(
                httpStatus: answer.status, resultcode: nil,
                resultdesc: "platform answered HTTP \(answer.status) redirecting to \(location); redirects are never followed: check platform.base_url"))
        }
        return CallResponseInterpreter.interpret(httpStatus: answer.status, body: answer.body)
    }

    /// A transport failure is `notSent` when the request was not written
    /// whole before it happened (the platform cannot have acted on it), and
    /// `uncertain` otherwise. Decided by where the failure happened, never by
    /// the error's text.
    static func transportFailure(_ error: any Error, requestWritten: Bool) -> CallAttemptResult {
        requestWritten ? .uncertain(reason: "\(error)") : .notSent(reason: "\(error)")
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
