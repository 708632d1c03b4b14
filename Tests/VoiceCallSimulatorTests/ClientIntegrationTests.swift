import AsyncHTTPClient
import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

/// The VoiceCallAPI client against a listening simulator on 127.0.0.1.
@Suite(.serialized) struct ClientIntegrationTests {
    /// Runs `body` with a client signing with `credentials` (default: the
    /// simulator's) at `clock` (default: the simulator's).
    func withClient(
        _ harness: SimulatorHarness, credentials: AppCredentials? = nil, clock: (any WallClock)? = nil,
        _ body: @escaping @Sendable (VoiceCallClient) async throws -> Void
    ) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await harness.simulator.makeApplication(port: 0).test(.live) { testClient in
                let port = try #require(testClient.port)
                let signer = RequestSigner(credentials: credentials ?? harness.credentials, clock: clock ?? harness.clock)
                let client = VoiceCallClient(
                    configuration: .init(baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(5)), signer: signer, httpClient: http)
                try await body(client)
            }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    func code(_ result: CallAttemptResult) -> String? {
        switch result {
        case .accepted: "0"
        case .rejected(let rejection): rejection.resultcode.map { "\(rejection.httpStatus)/\($0)" }
        case .notSent: "notSent"
        case .uncertain: "uncertain"
        }
    }

    static let verify = CallVerifyRequest(
        displayNbr: SimulatorHarness.display, calleeNbr: SimulatorHarness.callee, preTone: "pre.wav", verifyCode: "482913",
        returnIdlePort: "true")

    @Test func clientRequestsSucceedInBothConventions() async throws {
        let harness = SimulatorHarness()
        try await withClient(harness) { client in
            let notify = await client.notify(SimulatorHarness.notifyBody(), createdClock: .utcPlus8)
            guard case .accepted(let acceptance) = notify else {
                Issue.record("not accepted: \(notify)")
                return
            }
            #expect(acceptance.idlePort == 9)
            #expect(code(await client.notify(SimulatorHarness.notifyBody(), createdClock: .utc)) == "0")
            #expect(code(await client.verify(Self.verify)) == "0")
        }
    }

    @Test func clientAuthFailures() async throws {
        let harness = SimulatorHarness()
        let skewed = ManualClock(harness.clock.now.addingTimeInterval(3600))
        try await withClient(harness, credentials: AppCredentials(appKey: "nobody", appSecret: "x")) { client in
            #expect(code(await client.notify(SimulatorHarness.notifyBody())) == "403/1010003")
        }
        try await withClient(harness, credentials: AppCredentials(appKey: harness.credentials.appKey, appSecret: "x")) { client in
            let result = await client.notify(SimulatorHarness.notifyBody())
            #expect(code(result) == "401/1010010")
            if case .rejected(let rejection) = result { #expect(rejection.resultClass == .halt) }
        }
        try await withClient(harness, clock: skewed) { client in
            #expect(code(await client.notify(SimulatorHarness.notifyBody(), createdClock: .utc)) == "401/1010013")
        }
    }

    @Test func clientLimits() async throws {
        let harness = SimulatorHarness(scenario: SimulatorScenario(
            limits: SimulatorLimits(ports: 2, requestsPerSecond: 6, perCalleeMax: 1),
            blacklist: ["+8613800000666"],
            defaults: CalleeProfile(outcome: .fixed(.answer), ringSeconds: .fixed(1), talkSeconds: .fixed(5000))))
        try await withClient(harness) { client in
            #expect(code(await client.notify(SimulatorHarness.notifyBody(callee: "+8613800000001"))) == "0")
            #expect(code(await client.notify(SimulatorHarness.notifyBody(callee: "+8613800000001"))) == "403/1013117")
            #expect(code(await client.notify(SimulatorHarness.notifyBody(callee: "+8613800000666"))) == "403/1013004")
            #expect(code(await client.verify(Self.verify)) == "403/1013117")
            #expect(code(await client.notify(SimulatorHarness.notifyBody(callee: "+8613800000002"))) == "0")
            let ports = await client.notify(SimulatorHarness.notifyBody(callee: "+8613800000003"))
            #expect(code(ports) == "500/1020154")
            if code(ports) == "0" { print("DEBUG", await harness.simulator.snapshot()) }
            if case .rejected(let rejection) = ports { #expect(rejection.resultClass == .ports) }
            let flow = await client.notify(SimulatorHarness.notifyBody(callee: "+8613800000004"))
            #expect(code(flow) == "403/1010010")
            if case .rejected(let rejection) = flow { #expect(rejection.resultClass == .flowControl) }
        }
    }

    @Test func droppedResponseIsUncertainButTheCallHappens() async throws {
        let harness = SimulatorHarness(scenario: SimulatorScenario(callees: [
            "+8613800000041": CalleeProfile(dropResponse: true)
        ]))
        try await withClient(harness) { client in
            let result = await client.notify(SimulatorHarness.notifyBody(callee: "+8613800000041"))
            #expect(code(result) == "uncertain")
        }
        let snapshot = await harness.simulator.snapshot()
        #expect(snapshot.acceptedCalls == 1)
        #expect(snapshot.requests.first?.sessionId != nil)
    }
}
