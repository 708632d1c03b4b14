import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

/// Builds a simulator for a test and drives it through the router.
struct SimulatorHarness {
    let simulator: VoiceCallSimulator
    let clock: ManualClock
    let nonces = CountingNonces(prefix: "req")

    static let display = "+8675528000088"
    static let callee = "+8613800000001"

    init(scenario: SimulatorScenario = SimulatorScenario(), timeScale: Double = 1000, clock: ManualClock = ManualClock()) {
        var scenario = scenario
        if scenario.limits == nil { scenario.limits = SimulatorLimits(requestsPerSecond: 0) }
        if scenario.timing == nil { scenario.timing = Self.fastTiming }
        if scenario.defaults == nil { scenario.defaults = CalleeProfile(outcome: .fixed(.answer), ringSeconds: .fixed(2), talkSeconds: .fixed(4)) }
        self.clock = clock
        simulator = VoiceCallSimulator(configuration: .init(
            scenario: scenario, clock: SimulatorClock(wall: clock, timeScale: timeScale), inspection: true,
            nonces: CountingNonces(prefix: "cb")))
    }

    static let fastTiming = PlaybackTiming(
        calloutSeconds: 1, feeDelaySeconds: 1, feeBatchWindowSeconds: 1, feeRetryIntervalSeconds: 10, feeMaxRetries: 6)

    var credentials: AppCredentials { simulator.credentials }

    /// Correct X-AKSK headers for now in `convention`.
    func signedHeaders(
        credentials: AppCredentials? = nil, convention: CreatedClock = .utcPlus8, scheme: AuthScheme = .aksk,
        nonce: String? = nil, offsetSeconds: Int64 = 0
    ) -> HTTPFields {
        let epoch = Int64(clock.now.timeIntervalSince1970) + convention.offsetSeconds + offsetSeconds
        let created = CivilTime.formatCreated(epochSeconds: epoch)
        var fields = HTTPFields()
        for (name, value) in RequestSigner.headers(
            scheme: scheme, credentials: credentials ?? self.credentials, nonce: nonce ?? nonces.nextNonce(), created: created)
        {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        if let type = HTTPField.Name("Content-Type") { fields[type] = "application/json;charset=UTF-8" }
        return fields
    }

    static func notifyBody(
        callee: String = callee, display: String = display, collect: [Int] = [], statusURL: String? = nil,
        feeURL: String? = nil, userData: String? = "cs1.job.1", idlePort: Bool = true
    ) -> CallNotifyRequest {
        let prompts = collect.isEmpty
            ? [PlayContentInfo(notifyVoice: "notice.wav")]
            : collect.map { PlayContentInfo(templateId: "t1", templateParas: ["x"], collectInd: $0) }
        return CallNotifyRequest(
            displayNbr: display, calleeNbr: callee, playInfoList: prompts,
            statusUrl: statusURL.map { Data($0.utf8).base64EncodedString() },
            feeUrl: feeURL.map { Data($0.utf8).base64EncodedString() },
            returnIdlePort: idlePort ? "true" : nil, userData: userData)
    }

    static func encode(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(value))
    }
}

extension CallbackURL {
    /// The Base64 wire form of `url`.
    static func encode(_ url: String) -> String { Data(url.utf8).base64EncodedString() }
}

/// One answer of the simulator, decoded.
struct Answer {
    var status: Int
    var response: CallResponse
}

extension TestClientProtocol {
    func call(_ path: String = CallNotifyRequest.path, headers: HTTPFields, body: ByteBuffer) async throws -> Answer {
        try await execute(uri: path, method: .post, headers: headers, body: body) { response in
            let decoded = try JSONDecoder().decode(CallResponse.self, from: Data(response.body.readableBytesView))
            return Answer(status: Int(response.status.code), response: decoded)
        }
    }

    func notify(_ harness: SimulatorHarness, _ request: CallNotifyRequest = SimulatorHarness.notifyBody()) async throws -> Answer {
        try await call(headers: harness.signedHeaders(), body: SimulatorHarness.encode(request))
    }
}

