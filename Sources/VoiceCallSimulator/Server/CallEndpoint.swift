import Hummingbird
import Logging
import NIOCore
import VoiceCallAPI

/// Handles `callnotify` and `callVerify` in the platform's order: headers,
/// replay, request rate, body, then the per-call limits; an accepted call is
/// handed to the playback service before the response is written.
struct CallEndpoint: Sendable {
    enum API: String, Sendable {
        case callnotify, callVerify
    }

    var state: PlatformState
    var authenticator: RequestAuthenticator
    var validator: CallRequestValidator
    var clock: SimulatorClock
    var faults: ConnectionFaultSwitch
    var enqueue: @Sendable (PlaybackJob) -> Void
    var logger: Logger
    /// The longest real wait for the "collectInfo before the response" fault.
    var gateLimit: Duration = .seconds(30)

    /// Thrown after closing the connection for the "drop the response" fault.
    struct DroppedResponse: Error {}

    func handle(_ request: Request, context: SimulatorRequestContext, api: API) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        if let fault = faults.fault, let response = try await apply(fault, context: context) { return response }
        let now = clock.nowSeconds
        let auth = authenticator.authenticate(
            authorization: request.headers.value(named: "authorization"), xaksk: request.headers.value(named: "x-aksk"),
            xwsse: request.headers.value(named: "x-wsse"), now: now)
        let accepted: RequestAuthenticator.Accepted
        switch auth {
        case .failure(let rejection): return await refuse(rejection, api: api, incoming: nil)
        case .success(let token): accepted = token
        }
        guard await state.acceptNonce(accepted, now: now) else {
            return await refuse(PlatformRejection(401, "1010010", "Invalid digest. (nonce replayed)"), api: api, incoming: nil)
        }
        if let rejection = await state.checkRequestRate(now: clock.now) {
            return await refuse(rejection, api: api, incoming: nil)
        }
        let bytes = Array(body.readableBytesView)
        let validated = api == .callnotify ? validator.validateNotify(bytes) : validator.validateVerify(bytes)
        let incoming: IncomingCall
        switch validated {
        case .failure(let rejection): return await refuse(rejection, api: api, incoming: nil)
        case .success(let call): incoming = call
        }
        switch await state.admit(incoming, appKey: accepted.appKey) {
        case .failure(let rejection): return await refuse(rejection, api: api, incoming: incoming)
        case .success(let admission): return try await accept(admission, api: api, context: context)
        }
    }

    /// Applies a platform-wide transport fault to a request read whole: no
    /// call is placed. Returns the answer to send, if the fault sends one.
    private func apply(_ fault: ConnectionFault, context: SimulatorRequestContext) async throws -> Response? {
        faults.hit()
        switch fault {
        case .redirect(let location):
            return Response(status: .temporaryRedirect, headers: [.location: location, .contentLength: "0"])
        case .closeAfterRequest, .resetOnConnect:
            break
        case .hang:
            // Until the fault is cleared (bounded, so a forgotten fault cannot hold a server forever).
            let deadline = ContinuousClock.now + .seconds(60)
            while faults.fault == .hang, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        logger.info("closing the connection without an answer (transport fault)")
        if let channel = context.channel { try? await channel.close() }
        throw DroppedResponse()
    }

    private func accept(_ admission: Admission, api: API, context: SimulatorRequestContext) async throws -> Response {
        let call = admission.call
        let gate = admission.collectInfoBeforeResponse ? ResponseGate() : nil
        enqueue(.call(call, gate: gate))
        await state.recordRequest(
            api: api.rawValue, incoming: call.incoming, httpStatus: 200, resultcode: "0", resultdesc: "Success",
            sessionId: call.sessionId)
        logger.debug("call accepted", metadata: [
            "api": "\(api.rawValue)", "sessionId": "\(call.sessionId)", "callee": "\(PhoneMask.mask(call.incoming.calleeNbr))",
            "outcome": "\(call.script.outcome.rawValue)",
        ])
        if let gate { await gate.wait(limit: gateLimit) }
        if admission.responseDelaySeconds > 0 { try? await clock.sleep(simulated: admission.responseDelaySeconds) }
        if admission.dropResponse {
            logger.info("dropping the response (fault)", metadata: ["sessionId": "\(call.sessionId)"])
            if let channel = context.channel { try? await channel.close() }
            throw DroppedResponse()
        }
        let answer = CallResponse(
            resultcode: "0", resultdesc: "Success", sessionId: call.sessionId,
            idlePort: call.incoming.returnIdlePort ? admission.idlePort : nil)
        return WireResponse.json(status: 200, answer)
    }

    private func refuse(_ rejection: PlatformRejection, api: API, incoming: IncomingCall?) async -> Response {
        await state.recordRequest(
            api: api.rawValue, incoming: incoming, httpStatus: rejection.httpStatus, resultcode: rejection.resultcode,
            resultdesc: rejection.resultdesc, sessionId: nil)
        logger.debug("request refused", metadata: [
            "api": "\(api.rawValue)", "resultcode": "\(rejection.resultcode)",
            "callee": "\(incoming.map { PhoneMask.mask($0.calleeNbr) } ?? "-")",
        ])
        let idle = incoming?.returnIdlePort == true ? await state.idlePorts : nil
        let answer = CallResponse(resultcode: rejection.resultcode, resultdesc: rejection.resultdesc, idlePort: idle)
        return WireResponse.json(status: rejection.httpStatus, answer)
    }
}
