import AsyncHTTPClient
import Foundation
import VoiceCallAPI

/// Sends one prepared request to the platform. The scheduler only sees this
/// protocol, so its tests run against a fake without any I/O.
public protocol CallPlacer: Sendable {
    func place(_ ticket: DispatchTicket, createdClock: CreatedClock) async -> CallAttemptResult
}

/// The real placer: builds the `callnotify` / `callVerify` body from a ticket
/// (Base64 callback URLs, `returnIdlePort: "true"`, the ticket's userData) and
/// sends it with ``VoiceCallClient``.
public struct VoiceCallPlacer: CallPlacer {
    public var client: VoiceCallClient
    public var statusURL: CallbackURL
    public var feeURL: CallbackURL

    public init(client: VoiceCallClient, statusURL: CallbackURL, feeURL: CallbackURL) {
        self.client = client
        self.statusURL = statusURL
        self.feeURL = feeURL
    }

    public func place(_ ticket: DispatchTicket, createdClock: CreatedClock) async -> CallAttemptResult {
        switch ticket.payload {
        case .notify(let list):
            let request = CallNotifyRequest(
                displayNbr: ticket.displayNbr, calleeNbr: ticket.calleeNbr, playInfoList: list, statusUrl: statusURL.base64,
                feeUrl: feeURL.base64, returnIdlePort: "true", userData: ticket.userData)
            return await client.notify(request, createdClock: createdClock)
        case .verify(let verify):
            let request = CallVerifyRequest(
                displayNbr: ticket.displayNbr, calleeNbr: ticket.calleeNbr, languageType: verify.languageType, preTone: verify.preTone,
                verifyCode: verify.verifyCode, posTone: verify.posTone, times: verify.times, statusUrl: statusURL.base64,
                feeUrl: feeURL.base64, returnIdlePort: "true", userData: ticket.userData)
            return await client.verify(request, createdClock: createdClock)
        }
    }
}
