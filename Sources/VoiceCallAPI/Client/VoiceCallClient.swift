import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
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
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json;charset=UTF-8")
        // The platform uses short connections (the server closes each one
        // after its answer). Reusing an idle pooled connection risks sending
        // on one the server has just closed, which looks like a lost answer
        // and makes the job `unknown`; so every request has its own.
        request.headers.add(name: "Connection", value: "close")
        for header in signer.headers(createdClock: createdClock ?? configuration.createdClock) {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(bytes: payload))
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: .init(configuration.timeout))
        } catch {
            return Self.transportFailure(error)
        }
        do {
            let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            return CallResponseInterpreter.interpret(httpStatus: Int(response.status.code), body: Array(buffer.readableBytesView))
        } catch {
            return .uncertain(reason: "response body from HTTP \(response.status.code) could not be read: \(error)")
        }
    }

    /// A transport error is `notSent` only when the connection was never made.
    static func transportFailure(_ error: any Error) -> CallAttemptResult {
        if let clientError = error as? HTTPClientError {
            let beforeSending: [HTTPClientError] = [
                .connectTimeout, .invalidURL, .emptyHost, .alreadyShutdown, .socksHandshakeTimeout,
                .httpProxyHandshakeTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout,
            ]
            return beforeSending.contains(clientError) ? .notSent(reason: "\(clientError)") : .uncertain(reason: "\(clientError)")
        }
        if error is NIOConnectionError { return .notSent(reason: "\(error)") }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return .notSent(reason: "\(error)")
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") {
            return .notSent(reason: text)
        }
        return .uncertain(reason: text)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
