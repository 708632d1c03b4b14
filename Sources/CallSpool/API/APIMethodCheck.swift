import Hummingbird

/// Answers 405 with `Allow` to a request whose path is one of the API's
/// with a method it does not take (`TRACE /v1/status`, `DELETE /v1/jobs`),
/// before routing: the router alone would answer 404, as if the path did
/// not exist. Reveals nothing a client without a token could not read in
/// docs/api/openapi.yaml.
struct APIMethodCheck<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if APIRoute(method: request.method, path: request.uri.path) == nil {
            let allowed = APIRoute.allowedMethods(path: request.uri.path)
            if !allowed.isEmpty {
                var response = APIErrorResponse.make(
                    .methodNotAllowed, code: "method_not_allowed",
                    message: "\(request.uri.path.prefix(200)) takes \(allowed.map(\.rawValue).joined(separator: ", ")), not \(request.method.rawValue.prefix(20))",
                    closing: true)
                response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return response
            }
        }
        return try await next(request, context)
    }
}
