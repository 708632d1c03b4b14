import CallSpoolCore
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// Decides from the headers alone whether a request may go on, then reads
/// its body within bounds, before any route runs.
///
/// Guarantees: a request without a valid bearer token gets 401 and one
/// whose client lacks the route's scope gets 403, both with
/// `Connection: close` and without a byte of the body read (so a stranger
/// cannot hold the server by trickling one, as on the callback port:
/// ``RequestDeadlineHandler`` closes the connection once the answer is
/// written); a client over its `rate` gets 429 with `Retry-After`, also
/// before the body is read; a body over ``maxBodyBytes`` gets 413, one not received within
/// ``bodyTimeout`` 408. What the generated code cannot decode gets 400, any
/// other failure 500, always as `{"error": {...}}`; neither the token nor
/// the body is ever logged.
struct APIGate<Context: RequestContext>: RouterMiddleware {
    let keyring: APIKeyring
    let rateLimit: APIRateLimit
    let maxBodyBytes: Int
    let bodyTimeout: Duration
    /// `callspool_api_requests_total{client,route,status}` and the
    /// answer time per route; nil: not counted (tests).
    var metrics: CallspoolMetrics? = nil
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = APIRoute(method: request.method, path: request.uri.path)
        let client = keyring.client(authorization: request.headers[.authorization])
        let response = try await answer(request, route: route, client: client, context: context, next: next)
        metrics?.countAPIRequest(
            client: client?.name ?? "-", route: route.map { "\($0)" } ?? "unknown", status: Int(response.status.code), duration: ContinuousClock.now - started)
        return response
    }

    private func answer(
        _ request: Request, route: APIRoute?, client: APIClient?, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let client else {
            return APIErrorResponse.make(.unauthorized, code: "unauthorized", message: "a valid 'Authorization: Bearer <token>' header is needed", closing: true)
        }
        guard let route else {
            return APIErrorResponse.make(.notFound, code: "not_found", message: "no such route: \(request.method) \(request.uri.path.prefix(200))", closing: true)
        }
        guard client.scopes.contains(route.scope) else {
            return APIErrorResponse.make(
                .forbidden, code: "forbidden", message: "API client \(client.name) lacks the scope \(route.scope.rawValue) this route needs", closing: true)
        }
        if let wait = rateLimit.admit(client.name) {
            var response = APIErrorResponse.make(
                .tooManyRequests, code: "rate_limited", message: "API client \(client.name) is over its rate; retry in \(wait) s", closing: true)
            response.headers[.retryAfter] = "\(wait)"
            return response
        }
        var request = request
        var body: ByteBuffer?
        if route == .submitJobs {
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
                return Self.tooLarge(maxBodyBytes)
            }
            switch await BoundedBody.collect(request.body, limit: maxBodyBytes, timeout: bodyTimeout) {
            case .success(let buffer):
                body = buffer
                // The operation reads these bytes (``APIRequest/body``) with
                // the job-file reader, which checks them and names each bad
                // job. The generated code would first decode the same JSON
                // into a schema-less container only to throw it away: 18 %
                // of a 100,000-job campaign's time. It gets an empty object.
                request.body = .init(buffer: Self.standIn)
            case .failure(.tooLarge):
                return Self.tooLarge(maxBodyBytes)
            case .failure(.timedOut):
                return APIErrorResponse.make(.requestTimeout, code: "timeout", message: "the body was not received within \(DurationText.format(bodyTimeout))", closing: true)
            case .failure(.failed(let reason)):
                logger.warning("API: a request body could not be read: \(reason)")
                return APIErrorResponse.make(.badRequest, code: "unreadable_body", message: "the body could not be read", closing: true)
            }
        }
        do {
            return try await APIRequest.$client.withValue(client) {
                try await APIRequest.$body.withValue(body) { try await next(request, context) }
            }
        } catch let error as ServerError {
            if error.underlyingError is DecodingError {
                if let parameter = route.integerParameters.first(where: { name in request.uri.queryParameters[name[...]].map { Int($0) == nil } ?? false }) {
                    return APIErrorResponse.make(.badRequest, code: "bad_\(parameter)", message: "the parameter \(parameter) must be a whole number")
                }
                return APIErrorResponse.make(.badRequest, code: "malformed", message: "the request could not be read: \(Self.describe(error))")
            }
            if (400..<500).contains(error.httpStatus.code) {
                return APIErrorResponse.make(error.httpStatus, code: "bad_request", message: "the request could not be read: \(error.causeDescription)")
            }
            logger.error("API: \(route) failed: \(error.underlyingError)")
            return APIErrorResponse.make(.internalServerError, code: "internal", message: "the request failed; see the daemon's log")
        } catch {
            logger.error("API: \(route) failed: \(error)")
            return APIErrorResponse.make(.internalServerError, code: "internal", message: "the request failed; see the daemon's log")
        }
    }

    /// What the generated `submitJobs` code decodes in place of the body.
    static var standIn: ByteBuffer { ByteBuffer(string: "{}") }

    static func tooLarge(_ limit: Int) -> Response {
        APIErrorResponse.make(
            .contentTooLarge, code: "too_large", message: "the body is over \(limit) bytes: split it, or drop large campaigns into the spool", closing: true)
    }

    /// What went wrong, never the body's content.
    static func describe(_ error: ServerError) -> String {
        guard let decoding = error.underlyingError as? DecodingError else { return error.causeDescription }
        switch decoding {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            return "unexpected JSON at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default:
            return "not valid JSON"
        }
    }
}
