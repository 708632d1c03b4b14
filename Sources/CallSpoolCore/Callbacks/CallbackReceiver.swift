import Foundation
import Hummingbird
import Logging
import NIOCore
import VoiceCallAPI

/// Turns the platform's pushes (status events and fee CDRs) into committed
/// store changes: admit (authenticate), bound and decode the body, commit
/// (store and match it to its job, group-committed with other pushes), answer.
/// It only receives: nothing slower than its own commit sits between a push
/// and its answer.
///
/// Guarantees: a request without a valid `X-AKSK` (when verification is on;
/// the digest may cover either configured URL) changes nothing and gets 401
/// with `Connection: close`, decided from the headers alone (``admit(_:)``,
/// run as middleware before any body byte is read); a nonce is remembered in
/// the store in the transaction that stores its event, so a replay is refused
/// across restarts too; a body over ``Settings/maxBodyBytes`` gets 413, one not read within
/// ``Settings/bodyTimeout`` 408, a body that is not JSON or has no
/// `eventType` 400 (logged masked, stored nowhere). Everything else is read
/// per field (``CallbackPayload``): what is usable is stored and answered
/// 200, what was tolerated is logged (rate-limited, masked); a push with
/// nothing matchable is answered 200 and stored nowhere. A store failure gets
/// 500 so the platform re-pushes what it can (CDRs). After commit and before
/// any push of the batch is answered, every call the batch ended is handed to
/// `onCallEnded`, which must return at once (the daemon hands it to a
/// ``CallEndRelay``, which the dispatcher drains once per batch). Results files are not the
/// receiver's business: the commit that finishes a job queues its file in the
/// store, and ``ResultsOutboxService`` writes it after the answer is sent.
public struct CallbackReceiver: Sendable {
    /// What the receiver needs from `[callbacks]`, plus its resource bounds.
    public struct Settings: Sendable {
        public var statusURL: CallbackURL
        public var feeURL: CallbackURL
        public var verifySignatures: Bool
        public var maxBodyBytes: Int
        /// Longest time to receive a whole body once the headers are in.
        public var bodyTimeout: Duration
        /// `callbacks.max_connections`: connections served at once; more wait
        /// in the listen backlog (see ``buildCallbackApplication(receiver:listen:idleTimeout:services:onServerRunning:logger:)``).
        public var maxConnections: Int
        /// `callbacks.read_timeout`: a whole request (headers and body) must
        /// arrive within this of the connection opening or of the previous
        /// response, or the connection is closed (``RequestDeadlineHandler``).
        public var readTimeout: Duration

        public init(
            statusURL: CallbackURL, feeURL: CallbackURL, verifySignatures: Bool = true,
            maxBodyBytes: Int = 1 << 20, bodyTimeout: Duration = .seconds(10),
            maxConnections: Int = 512, readTimeout: Duration = .seconds(10)
        ) {
            self.statusURL = statusURL
            self.feeURL = feeURL
            self.verifySignatures = verifySignatures
            self.maxBodyBytes = maxBodyBytes
            self.bodyTimeout = bodyTimeout
            self.maxConnections = maxConnections
            self.readTimeout = readTimeout
        }

        public init(_ callbacks: Configuration.Callbacks) {
            self.init(
                statusURL: callbacks.statusURL, feeURL: callbacks.feeURL, verifySignatures: callbacks.verifySignatures,
                bodyTimeout: callbacks.readTimeout, maxConnections: callbacks.maxConnections, readTimeout: callbacks.readTimeout)
        }

        /// The distinct paths to serve.
        public var paths: [String] { statusURL.path == feeURL.path ? [statusURL.path] : [statusURL.path, feeURL.path] }

        /// The strings a push's digest may cover: both configured URLs (once
        /// each), for pushes to either path.
        var signedURLs: [String] {
            statusURL.string == feeURL.string ? [statusURL.string] : [statusURL.string, feeURL.string]
        }
    }

    public let database: any CallStore
    public let settings: Settings
    /// Where storage failures are reported (a full disk answers 503, not 500).
    public var storage: StorageHealth?
    /// Status events that could not be stored, written when space returns.
    public var unstored: UnstoredStatusEvents?
    let verifier: CallbackVerifier?
    /// App key → application name, to tell which application signed a push.
    let applicationNames: [String: String]
    let clock: any WallClock
    /// Synchronous on purpose: a port-release hand-off cannot delay an answer.
    let onCallEnded: @Sendable (CallEndSignal) -> Void
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
    ///   - onCallEnded: called after commit for every call that ended,
    ///     before the answer is sent: it must only hand the signal on
    ///     (``CallEndRelay/send(_:)``).
    ///   - applications: every configured application's name and
    ///     credentials (they may share the callback URLs); when empty,
    ///     `credentials` is the single `default` application.
    public init(
        database: any CallStore, settings: Settings, credentials: AppCredentials?, applications: [(name: String, credentials: AppCredentials)] = [],
        clock: any WallClock,
        onCallEnded: @escaping @Sendable (CallEndSignal) -> Void = { _ in }, logger: Logger,
        metrics: CallspoolMetrics = .disabled
    ) throws(CallbackReceiverError) {
        self.metrics = metrics
        let keyring = applications.isEmpty ? credentials.map { [(Configuration.Application.legacyName, $0)] } ?? [] : applications
        applicationNames = Dictionary(keyring.map { ($0.1.appKey, $0.0) }, uniquingKeysWith: { first, _ in first })
        if settings.verifySignatures {
            guard !keyring.isEmpty, keyring.allSatisfy({ !$0.1.appSecret.isEmpty }) else { throw .missingAppSecret }
            verifier = CallbackVerifier(keyring: keyring.map(\.1), clock: clock)
        } else {
            verifier = nil
        }
        self.database = database
        self.committer = CallbackCommitter(database: database, onCallEnded: onCallEnded)
        self.settings = settings
        self.clock = clock
        self.onCallEnded = onCallEnded
        self.warnings = RateLimitedWarning(logger: logger, clock: clock)
        self.logger = logger
    }

    /// What the headers of a push decided, before its body is read.
    public enum Admission: Sendable {
        /// Authentic (or verification is off): read the body, store the
        /// event with this nonce.
        case admitted(CallbackNonce?)
        /// Refused: send this answer (401, `Connection: close`) and read nothing more.
        case refused(Response)
    }

    /// Checks a push from its headers alone: `X-AKSK` (format, digest, time),
    /// then whether its nonce is already remembered (committed by this
    /// process, or in the store from before it: ``authenticate(_:path:)``). Runs before the
    /// body is collected (``CallbackAuthMiddleware``), so a forger or a
    /// replayer costs no body read and no write. The nonce is only claimed
    /// with the event (``AppDatabase/recordCallbacks(_:)``), which settles
    /// two copies racing past this check.
    public func admit(_ request: Request) async -> Admission {
        let path = request.uri.path
        let outcome = await authenticate(request, path: path)
        switch outcome {
        case .success(let nonce):
            metrics.countCallbackAuth(result: verifier == nil ? "unchecked" : "ok")
            return .admitted(nonce)
        case .failure(let rejection):
            metrics.countCallbackAuth(result: rejection.rawValue)
            await warnings.warn(key: "auth.\(rejection.rawValue)", "callback refused (401) on \(path): \(rejection.description)")
            return .refused(Self.unauthorized())
        }
    }

    /// Answers one POST to a callback path: ``admit(_:)``, then
    /// ``respond(to:nonce:)``.
    public func respond(to request: Request) async -> Response {
        switch await admit(request) {
        case .refused(let response): return response
        case .admitted(let nonce): return await respond(to: request, nonce: nonce)
        }
    }

    /// Answers one POST whose headers ``admit(_:)`` accepted: bound and read
    /// the body, decode, store with `nonce`.
    public func respond(to request: Request, nonce: CallbackNonce?) async -> Response {
        progress.enter(); defer { progress.leave() }
        let path = request.uri.path
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.maxBodyBytes {
            await warnings.warn(key: "size", "callback refused (413) on \(path): body of \(length) bytes exceeds \(settings.maxBodyBytes)")
            return Self.closing(Self.reply(.contentTooLarge, code: "413", description: "Body too large"))
        }
        let body: ByteBuffer
        switch await collectBody(request.body) {
        case .success(let buffer): body = buffer
        case .failure(.tooLarge):
            await warnings.warn(key: "size", "callback refused (413) on \(path): body exceeds \(settings.maxBodyBytes) bytes")
            return Self.closing(Self.reply(.contentTooLarge, code: "413", description: "Body too large"))
        case .failure(.timedOut):
            await warnings.warn(key: "slow", "callback cut off (408) on \(path): body not received within \(settings.bodyTimeout)")
            return Self.closing(Self.reply(.requestTimeout, code: "408", description: "Request body too slow"))
        case .failure(.failed(let reason)):
            logger.warning("callback body could not be read on \(path): \(reason)")
            return Self.reply(.badRequest, code: "400", description: "Unreadable body")
        }
        let bytes = body.readableBytesView
        let payload: CallbackPayload
        do {
            payload = try CallbackPayload.decode(bytes)
        } catch {
            logger.warning("callback refused (400) on \(path): \(error); body (masked): \(LogRedaction.preview(bytes))")
            return Self.reply(.badRequest, code: "400", description: "Malformed callback: \(error)")
        }
        for note in payload.notes { await report(note, eventType: payload.eventType, path: path) }
        guard let event = payload.event else {
            // Nothing matchable: refusing would only make the platform re-push
            // the same body (fee) or lose it anyway (status); it is logged above.
            return Self.success()
        }
        return await store(event, rawBody: String(buffer: body), feeTexts: payload.feeTexts, nonce: nonce)
    }

    /// Logs what decoding tolerated, rate-limited per kind and field, with
    /// phone numbers masked in the sessionId; never the offending value.
    func report(_ note: CallbackDecodingNote, eventType: String, path: String) async {
        let session = note.sessionId.map { " (sessionId \(LogRedaction.maskPhoneNumbers(in: String($0.prefix(80)))))" } ?? ""
        let type = LogRedaction.maskPhoneNumbers(in: String(eventType.prefix(40)))
        let message: String
        switch note.kind {
        case .malformedField, .unknownValue:
            message = "callback \(type) on \(path): \(note.field): \(note.detail)\(session)"
        case .droppedRecord:
            message = "fee CDR dropped on \(path): \(note.field): \(note.detail)\(session); the other CDRs of the push are stored"
        case .ignoredEvent:
            message = "callback \(type) on \(path) ignored (answered 200): \(note.detail)\(session)"
        }
        await warnings.warn(key: "decode.\(note.kind.rawValue).\(note.fieldPattern)", message)
    }

    /// Commits `event` with its nonce, then hands ended calls on and answers.
    /// A nonce the store already remembers (a replay that raced past
    /// ``admit(_:)``) gets 401 and stores nothing.
    /// `feeTexts`: a fee push's CDRs as sent (``CallbackPayload/feeTexts``).
    func store(_ event: CallbackEvent, rawBody: String, feeTexts: [String]? = nil, nonce: CallbackNonce? = nil) async -> Response {
        let now = clock.now
        if let deferred = await deferBehindUnstored(event, rawBody: rawBody, nonce: nonce, now: now) { return deferred }
        let commit: CallbackCommit
        do {
            let app = application(signing: nonce)
            if case .fee(let records) = event, let app, let stranger = records.first(where: { record in
                record.appKey.map { applicationNames[$0] != app } ?? false
            }) {
                throw CallbackApplicationMismatch(signedBy: app, placedBy: stranger.appKey.flatMap { applicationNames[$0] } ?? "an unknown app key")
            }
            commit = try await committer.commit(CallbackPush(event: event, body: rawBody, now: now, nonce: nonce, app: app, feeTexts: feeTexts)).get()
            switch event {
            case .status(let type, let info):
                logger.debug("callback \(type.rawValue) stored", metadata: [
                    "sessionId": "\(LogRedaction.maskPhoneNumbers(in: info.sessionId))", "pending": "\(commit.pending > 0)",
                    "digits": "\(info.digitInfo ?? "")", "stateCode": "\(info.stateCode.map(String.init) ?? "")",
                ])
            case .fee(let records):
                logger.debug("fee CDRs stored", metadata: [
                    "records": "\(records.count)", "duplicates": "\(commit.duplicates)", "pending": "\(commit.pending)",
                ])
            }
        } catch let replay as CallbackReplayError {
            metrics.countCallbackAuth(result: CallbackVerifier.Rejection.replay.rawValue)
            await warnings.warn(key: "auth.replay", "callback refused (401): \(replay.description)")
            return Self.unauthorized()
        } catch let mismatch as CallbackApplicationMismatch {
            metrics.countCallbackAuth(result: "wrong_application")
            await warnings.warn(key: "auth.wrong_application", "callback refused (401): \(mismatch.description)")
            return Self.unauthorized()
        } catch {
            if let storage, storage.recordFailure(error, at: now) {
                // A full disk or a database outage: 503 (the platform
                // re-pushes CDRs); status events, never re-pushed, are kept
                // until the store takes writes again.
                if case .status = event, let unstored {
                    await unstored.keep(.init(event: event, body: rawBody, nonce: nonce, receivedAt: now))
                }
                return Self.reply(.serviceUnavailable, code: "503", description: "Storage unavailable, retry later")
            }
            logger.error("callback \(event.eventType.rawValue) could not be stored: \(error)")
            return Self.reply(.internalServerError, code: "500", description: "Not stored, retry later")
        }
        metrics.countCallback(eventType: event.eventType.rawValue)
        metrics.countBilledMinutes(commit.billed)
        for signal in commit.signals {
            logger.info("call ended", metadata: [
                "job": "\(signal.jobRowId)", "sessionId": "\(LogRedaction.maskPhoneNumbers(in: signal.sessionId))", "outcome": "\(signal.outcome?.rawValue ?? "pending: waiting for the fee CDR")",
                "stateCode": "\(signal.stateCode.map(String.init) ?? "")",
            ])
        }
        return Self.success()
    }

    /// The application whose secret signed the push (nil when signatures
    /// are not verified).
    func application(signing nonce: CallbackNonce?) -> String? {
        nonce?.appKey.flatMap { applicationNames[$0] }
    }

    /// The push's verified nonce (nil when verification is off), or why it
    /// is refused.
    ///
    /// The digest may cover either configured URL, whatever the path the push
    /// came to: the reference says the fee URL for status pushes too, and a
    /// platform may sign with the URL it posts to. One verification over all
    /// candidates, so the nonce rules apply once and timing does not tell
    /// which URL matched. A nonce this process committed is a replay
    /// (``ClaimedNonces``, in memory); so is one the store remembers from
    /// before this process began, looked up in the store while such nonces
    /// can still be live. When the store cannot be read the claim with the
    /// event decides.
    func authenticate(_ request: Request, path: String) async -> Result<CallbackNonce?, CallbackVerifier.Rejection> {
        guard let verifier else { return .success(nil) }
        let header = request.headers.first { $0.name.canonicalName == "x-aksk" }?.value
        let nonce: CallbackNonce
        do {
            nonce = try verifier.authenticate(xaksk: header, urls: settings.signedURLs)
        } catch {
            return .failure(error)
        }
        let claimed = committer.claimed
        if claimed.isLive(nonce.nonce, now: nonce.now) { return .failure(.replay) }
        // Nonces from before this process are only in the store.
        if await claimed.storeMayHoldOthers(now: nonce.now, readHorizon: { try await database.latestCallbackNonceExpiry() }),
            (try? await database.isCallbackNonceLive(nonce.nonce, now: nonce.now)) == true
        {
            return .failure(.replay)
        }
        return .success(nonce)
    }

    typealias BodyFailure = BoundedBody.Failure

    /// The whole body, bounded in size and in time.
    func collectBody(_ body: RequestBody) async -> Result<ByteBuffer, BodyFailure> {
        await BoundedBody.collect(body, limit: settings.maxBodyBytes, timeout: settings.bodyTimeout)
    }

    /// 401 with `Connection: close`: the connection is closed once it is
    /// written (``RequestDeadlineHandler``), whatever body was announced.
    static func unauthorized() -> Response {
        closing(reply(.unauthorized, code: "1010010", description: "Authentication failed"))
    }

    /// `response` marked `Connection: close`, for answers sent while body
    /// bytes may still be unread.
    static func closing(_ response: Response) -> Response {
        var response = response
        response.headers[.connection] = "close"
        return response
    }

    /// The answer to almost every push, encoded once (the hot path).
    static let successBody = ByteBuffer(string: #"{"resultcode":"0","resultdesc":"Success"}"#)

    /// 200 with resultcode `0`: byte for byte what ``reply(_:code:description:)`` gives.
    static func success() -> Response {
        var response = Response(status: .ok, body: .init(byteBuffer: successBody))
        response.headers[.contentType] = "application/json;charset=UTF-8"
        return response
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
