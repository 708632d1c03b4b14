import Foundation
import Hummingbird
import Logging
import NIOCore
import VoiceCallAPI

/// Turns the platform's pushes (status events and fee CDRs) into committed
/// store changes: authenticate, bound and parse the body, store and match it
/// to its job in one transaction, and only then answer 200.
///
/// Guarantees: a request without a valid `X-AKSK` (when verification is on)
/// changes nothing and gets 401; a body over ``Settings/maxBodyBytes`` gets
/// 413, one not read within ``Settings/bodyTimeout`` 408, malformed JSON 400
/// (logged masked, stored nowhere); a store failure gets 500 so the platform
/// re-pushes what it can (CDRs). After commit, every call that ended is
/// signalled through `onCallEnded` and the results outbox is drained.
public struct CallbackReceiver: Sendable {
    /// What the receiver needs from `[callbacks]`, plus its resource bounds.
    public struct Settings: Sendable {
        public var statusURL: CallbackURL
        public var feeURL: CallbackURL
        public var verifySignatures: Bool
        public var maxBodyBytes: Int
        /// Longest time to receive a whole body once the headers are in.
        public var bodyTimeout: Duration

        public init(
            statusURL: CallbackURL, feeURL: CallbackURL, verifySignatures: Bool = true,
            maxBodyBytes: Int = 1 << 20, bodyTimeout: Duration = .seconds(10)
        ) {
            self.statusURL = statusURL
            self.feeURL = feeURL
            self.verifySignatures = verifySignatures
            self.maxBodyBytes = maxBodyBytes
            self.bodyTimeout = bodyTimeout
        }

        public init(_ callbacks: Configuration.Callbacks) {
            self.init(statusURL: callbacks.statusURL, feeURL: callbacks.feeURL, verifySignatures: callbacks.verifySignatures)
        }

        /// The distinct paths to serve.
        public var paths: [String] { statusURL.path == feeURL.path ? [statusURL.path] : [statusURL.path, feeURL.path] }

        /// The configured URLs whose path is `path`: the strings signatures are checked against.
        func urls(forPath path: String) -> [CallbackURL] {
            [statusURL, feeURL].filter { $0.path == path }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        }
    }

    public let database: AppDatabase
    public let settings: Settings
    let verifier: CallbackVerifier?
    let clock: any WallClock
    let outbox: ResultsOutbox?
    let onCallEnded: @Sendable (CallEndSignal) async -> Void
    let warnings: RateLimitedWarning
    /// Pushes by event type and by authentication result.
    let metrics: CallspoolMetrics
    let logger: Logger
    /// Batches pushes into shared transactions (group commit).
    let committer: CallbackCommitter
    public let progress = ProgressBeacon(name: "callback receiver", onDemand: true)  // a request stuck past the limit starves the systemd watchdog

    /// - Parameters:
    ///   - credentials: the app key and secret the platform signs with;
    ///     required unless `settings.verifySignatures` is false.
    ///   - onCallEnded: called after commit for every call that ended.
    public init(
        database: AppDatabase, settings: Settings, credentials: AppCredentials?, clock: any WallClock,
        outbox: ResultsOutbox? = nil, replayCache: NonceReplayCache = NonceReplayCache(),
        onCallEnded: @escaping @Sendable (CallEndSignal) async -> Void = { _ in }, logger: Logger,
        metrics: CallspoolMetrics = .disabled
    ) throws(CallbackReceiverError) {
        self.metrics = metrics
        if settings.verifySignatures {
            guard let credentials, !credentials.appSecret.isEmpty else { throw .missingAppSecret }
            verifier = CallbackVerifier(credentials: credentials, clock: clock, replayCache: replayCache)
        } else {
            verifier = nil
        }
        self.database = database
        self.committer = CallbackCommitter(database: database)
        self.settings = settings
        self.clock = clock
        self.outbox = outbox
        self.onCallEnded = onCallEnded
        self.warnings = RateLimitedWarning(logger: logger, clock: clock)
        self.logger = logger
    }

    /// Answers one POST to a callback path.
    public func respond(to request: Request) async -> Response {
        progress.enter(); defer { progress.leave() }
        let path = request.uri.path
        let rejection = await authenticate(request, path: path)
        metrics.countCallbackAuth(result: rejection?.rawValue ?? (verifier == nil ? "unchecked" : "ok"))
        if let rejection {
            await warnings.warn(key: "auth.\(rejection.rawValue)", "callback refused (401) on \(path): \(rejection.description)")
            return Self.reply(.unauthorized, code: "1010010", description: "Authentication failed")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.maxBodyBytes {
            await warnings.warn(key: "size", "callback refused (413) on \(path): body of \(length) bytes exceeds \(settings.maxBodyBytes)")
            return Self.reply(.contentTooLarge, code: "413", description: "Body too large")
        }
        let body: ByteBuffer
        switch await collectBody(request.body) {
        case .success(let buffer): body = buffer
        case .failure(.tooLarge):
            await warnings.warn(key: "size", "callback refused (413) on \(path): body exceeds \(settings.maxBodyBytes) bytes")
            return Self.reply(.contentTooLarge, code: "413", description: "Body too large")
        case .failure(.timedOut):
            await warnings.warn(key: "slow", "callback cut off (408) on \(path): body not received within \(settings.bodyTimeout)")
            return Self.reply(.requestTimeout, code: "408", description: "Request body too slow")
        case .failure(.failed(let reason)):
            logger.warning("callback body could not be read on \(path): \(reason)")
            return Self.reply(.badRequest, code: "400", description: "Unreadable body")
        }
        let bytes = body.readableBytesView
        let event: CallbackEvent
        do {
            event = try CallbackEvent.decode(bytes)
        } catch {
            logger.warning("callback refused (400) on \(path): \(error); body (masked): \(LogRedaction.preview(bytes))")
            return Self.reply(.badRequest, code: "400", description: "Malformed callback: \(error)")
        }
        return await store(event, rawBody: String(buffer: body))
    }

    /// Commits `event`, then signals ended calls and drains the outbox.
    func store(_ event: CallbackEvent, rawBody: String) async -> Response {
        let now = clock.now
        let commit: CallbackCommit
        do {
            commit = try await committer.commit(AppDatabase.CallbackPush(event: event, body: rawBody, now: now)).get()
            switch event {
            case .status(let type, let info):
                logger.debug("callback \(type.rawValue) stored", metadata: [
                    "sessionId": "\(info.sessionId)", "pending": "\(commit.pending > 0)",
                    "digits": "\(info.digitInfo ?? "")", "stateCode": "\(info.stateCode.map(String.init) ?? "")",
                ])
            case .fee(let records):
                logger.debug("fee CDRs stored", metadata: [
                    "records": "\(records.count)", "duplicates": "\(commit.duplicates)", "pending": "\(commit.pending)",
                ])
            }
        } catch {
            logger.error("callback \(event.eventType.rawValue) could not be stored: \(error)")
            return Self.reply(.internalServerError, code: "500", description: "Not stored, retry later")
        }
        metrics.countCallback(eventType: event.eventType.rawValue)
        for signal in commit.signals {
            logger.info("call ended", metadata: [
                "job": "\(signal.jobRowId)", "sessionId": "\(signal.sessionId)", "outcome": "\(signal.outcome.rawValue)",
                "stateCode": "\(signal.stateCode.map(String.init) ?? "")",
            ])
            await onCallEnded(signal)
        }
        if !commit.signals.isEmpty, let outbox { await outbox.drain() }
        return Self.reply(.ok, code: "0", description: "Success")
    }

    /// nil when the push is authentic (or verification is off), else why not.
    func authenticate(_ request: Request, path: String) async -> CallbackVerifier.Rejection? {
        guard let verifier else { return nil }
        let header = request.headers.first { $0.name.canonicalName == "x-aksk" }?.value
        var first: CallbackVerifier.Rejection?
        for url in settings.urls(forPath: path) {
            do {
                try await verifier.verify(xaksk: header, url: url.string)
                return nil
            } catch {
                if first == nil { first = error }
            }
        }
        return first ?? .badDigest
    }

    enum BodyFailure: Error {
        case tooLarge, timedOut
        case failed(String)
    }

    /// The whole body, bounded in size and in time.
    func collectBody(_ body: RequestBody) async -> Result<ByteBuffer, BodyFailure> {
        let limit = settings.maxBodyBytes
        let timeout = settings.bodyTimeout
        do {
            return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await body.collect(upTo: limit) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let buffer = first else { return .failure(.timedOut) }
                return .success(buffer)
            }
        } catch is NIOTooManyBytesError {
            return .failure(.tooLarge)
        } catch {
            return .failure(.failed("\(error)"))
        }
    }

    /// A JSON answer in the platform's `resultcode`/`resultdesc` style.
    static func reply(_ status: HTTPResponse.Status, code: String, description: String) -> Response {
        let object = ["resultcode": code, "resultdesc": description]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(object)) ?? Data()
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        response.headers[.contentType] = "application/json;charset=UTF-8"
        return response
    }
}
