import Foundation
import Hummingbird
import VoiceCallAPI

/// Wraps the simulator's router: notes when each request arrived (before the
/// simulator looks at it) in an ``ArrivalLog``, then hands it on unchanged.
/// For `callVerify` the body is read first to learn the callee. The
/// simulator's own request log only has second-resolution times.
struct ObservingResponder<Wrapped: HTTPResponder>: HTTPResponder {
    typealias Context = Wrapped.Context

    let wrapped: Wrapped
    let log: ArrivalLog

    @Sendable func respond(to request: Request, context: Context) async throws -> Response {
        let arrived = ContinuousClock.now
        if log.keepsRequests, request.uri.path == CallVerifyRequest.path || request.uri.path == CallNotifyRequest.path {
            let wall = Date()
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let fields = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            let callee = fields?["calleeNbr"] as? String
            log.keep(ArrivalLog.Request(arrived: wall, userData: fields?["userData"] as? String, callee: callee))
            log.record(at: arrived, verifyCallee: request.uri.path == CallVerifyRequest.path ? callee : nil)
            return try await wrapped.respond(to: request, context: context)
        }
        guard request.uri.path == CallVerifyRequest.path else {
            if request.uri.path == CallNotifyRequest.path { log.record(at: arrived, verifyCallee: nil) }
            return try await wrapped.respond(to: request, context: context)
        }
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let fields = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        log.record(at: arrived, verifyCallee: fields?["calleeNbr"] as? String)
        return try await wrapped.respond(to: request, context: context)
    }
}
