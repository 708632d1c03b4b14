import AsyncHTTPClient
import Foundation
import VoiceCallAPI

/// What a dispatcher written from the vendor's sample code does: send the
/// calls one after another at a fixed rate (configured ports ÷ expected call
/// time) and, when the platform answers 1020154 ("Insufficient voice ports —
/// wait a minute and try again", reference error table), sleep a minute and
/// resend the same call. No idlePort, no callbacks, no adaptive limit.
struct NaiveDispatcher: Sendable {
    let client: VoiceCallClient
    let displayNbr: String
    let interval: Duration
    let portsSleep: Duration

    init(baseURL: String, credentials: AppCredentials, displayNbr: String, interval: Duration, portsSleep: Duration) {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        self.client = VoiceCallClient(configuration: .init(baseURL: baseURL), signer: RequestSigner(credentials: credentials), httpClient: http)
        self.displayNbr = displayNbr
        self.interval = interval
        self.portsSleep = portsSleep
    }

    /// Places one call per callee; returns the number of requests sent.
    @discardableResult
    func run(callees: [String]) async throws -> Int {
        var sent = 0
        var next = ContinuousClock.now
        for callee in callees {
            while true {
                try await Task.sleep(until: next)
                let request = CallNotifyRequest(displayNbr: displayNbr, calleeNbr: callee, playInfoList: [.init(notifyVoice: "a.wav")])
                let result = await client.notify(request)
                sent += 1
                if case .rejected(let rejection) = result, rejection.resultcode == "1020154" {
                    try await Task.sleep(for: portsSleep)
                    next = ContinuousClock.now
                    continue
                }
                next += interval
                break
            }
        }
        return sent
    }

    func shutdown() async {
        try? await client.httpClient.shutdown()
    }
}
