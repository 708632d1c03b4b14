import Hummingbird
import Logging
import NIOCore
import VoiceCallAPI

/// Handles `callnotify` and `callVerify` in the platform's order: headers,
/// replay, request rate, the application's permission for the API, body
/// (with the application's display numbers), then the per-call limits; an
/// accepted call is handed to the playback service before the response is written.
struct CallEndpoint: Sendable {
    enum API: String, Sendable {
        case callnotify, callVerify

        /// What an application needs to call this API.
        var capability: SimulatorApplication.Capability {
            switch self {
            case .callnotify: .notify
            case .callVerify: .verify
            }
        }
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
        let headers = (
            authorization: request.headers.value(named: "authorization"), xaksk: request.headers.value(named: "x-aksk"),
            xwsse: request.headers.value(named: "x-wsse"))
        let auth = authenticator.authenticate(
            authorization: headers.authorization, xaksk: headers.xaksk, xwsse: headers.xwsse, now: now)
        let accepted: RequestAuthenticator.Accepted
        switch auth {
        case .failure(let rejection):
            let claimed = RequestAuthenticator.claimedAppKey(
                authorization: headers.authorization, xaksk: headers.xaksk, xwsse: headers.xwsse)
            return await refuse(rejection, api: api, appKey: claimed, incoming: nil)
        case .success(let token): accepted = token
        }
        let appKey = accepted.appKey
        guard await state.acceptNonce(accepted, now: now) else {
            let replayed = PlatformRejection(401, "1010010", "Invalid digest. (nonce replayed)")
            return await refuse(replayed, api: api, appKey: appKey, incoming: nil)
        }
        if let rejection = await state.checkRequestRate(now: clock.now) {
            return await refuse(rejection, api: api, appKey: appKey, incoming: nil)
        }
        guard let application = validator.applications.application(appKey: appKey),
            application.capabilities.contains(api.capability)
        else {
            return await refuse(PlatformRejection(403, "1010040"), api: api, appKey: appKey, incoming: nil)
        }
        let bytes = Array(body.readableBytesView)
        let validated =
            api == .callnotify
            ? validator.validateNotify(bytes, from: application) : validator.validateVerify(bytes, from: application)
        let incoming: IncomingCall
        switch validated {
        case .failure(let rejection): return await refuse(rejection, api: api, appKey: appKey, incoming: nil)
        case .success(let call): incoming = call
        }
        switch await state.admit(incoming, appKey: appKey) {
        case .failure(let rejection): return await refuse(rejection, api: api, appKey: appKey, incoming: incoming)
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
            api: api.rawValue, appKey: call.appKey, incoming: call.incoming, httpStatus: 200, resultcode: "0", resultdesc: "Success",
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

    private func refuse(_ rejection: PlatformRejection, api: API, appKey: String?, incoming: IncomingCall?) async -> Response {
        await state.recordRequest(
            api: api.rawValue, appKey: appKey, incoming: incoming, httpStatus: rejection.httpStatus, resultcode: rejection.resultcode,
            resultdesc: rejection.resultdesc, sessionId: nil)
        logger.debug("request refused", metadata: [
            "api": "\(api.rawValue)", "resultcode": "\(rejection.resultcode)",
            "callee": "\(incoming.map { PhoneMask.mask($0.calleeNbr) } ?? "-")",
        ])
        let idle = incoming?.returnIdlePort == true ? await state.idlePorts(for: appKey) : nil
        let answer = CallResponse(resultcode: rejection.resultcode, resultdesc: rejection.resultdesc, idlePort: idle)
        return WireResponse.json(status: rejection.httpStatus, answer)
    }
}
