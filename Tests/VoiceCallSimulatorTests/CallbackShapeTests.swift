import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

/// Scenario options that make the simulator push as the reference documents
/// it: status pushes signed over the fee URL, `partyType` as a string, a call
/// answered with no key pressed (8008), a disconnect without stateCode.
@Suite(.serialized) struct CallbackShapeTests {
    func call(_ script: CallScript) -> SimulatedCall {
        SimulatedCall(
            sessionId: "S1",
            incoming: IncomingCall(
                kind: .notify(collect: [1], ttsPrompts: 1), displayNbr: "+8675528000088", calleeNbr: "+8613800000001",
                userData: "cs1.a.1", statusURL: "http://127.0.0.1:1/s", feeURL: "http://127.0.0.1:1/f", returnIdlePort: true),
            script: script, acceptedAt: 1_795_000_000, appKey: "k", spId: "sp", icid: "CAE-1")
    }

    func statuses(_ steps: [PlaybackStep]) -> [(CallbackEventType, CallStatusInfo)] {
        steps.compactMap { if case .status(let type, let info) = $0.action { (type, info) } else { nil } }
    }

    @Test func answeredWithoutAKeyEndsWith8008AndNoCollectInfo() throws {
        var playback = SimulatedCall.Playback(call: call(CallScript(outcome: .answerNoKey, digits: ["5"])))
        let steps = playback.drain()
        let events = statuses(steps)
        #expect(events.map(\.0) == [.callout, .alerting, .answer, .disconnect])
        #expect(events.last?.1.stateCode == 8008)
        guard case .fee(let cdr) = steps.last?.action else {
            Issue.record("no CDR")
            return
        }
        #expect(cdr.wasAnswered)
        #expect(cdr.dynIVRPath == nil)
        #expect(cdr.ulFailReason == 8008)
    }

    @Test func disconnectWithoutStateCodeAndWithPartyType() throws {
        var playback = SimulatedCall.Playback(call: call(CallScript(
            outcome: .answer, digits: ["5"], omitDisconnectStateCode: true, sendPartyType: true)))
        let disconnect = try #require(statuses(playback.drain()).last)
        #expect(disconnect.0 == .disconnect)
        #expect(disconnect.1.stateCode == nil)
        #expect(disconnect.1.stateDesc == nil)
        #expect(disconnect.1.partyType == .callee)
        let text = String(decoding: try JSONEncoder().encode(CallbackEvent.status(.disconnect, disconnect.1)), as: UTF8.self)
        #expect(text.contains(#""partyType":"callee""#))
    }

    @Test func theScenarioOptionsReachTheScript() throws {
        let json = #"{"outcome":"answerNoKey","statusSignatureURL":"feeUrl","omitDisconnectStateCode":true,"sendPartyType":true}"#
        let profile = try JSONDecoder().decode(CalleeProfile.self, from: Data(json.utf8))
        var random = SeededRandom(seed: 1)
        let script = CallScriptResolver.resolve(
            profile: profile.merged(over: CalleeProfile()), kind: .notify(collect: [1], ttsPrompts: 1),
            timing: PlaybackTiming().resolved, random: &random)
        #expect(script.outcome == CallOutcome.answerNoKey)
        #expect(script.signStatusWithFeeURL)
        #expect(script.omitDisconnectStateCode)
        #expect(script.sendPartyType)
    }

    @Test func statusPushesAreSignedOverTheFeeURLWhenAsked() async throws {
        let receiver = try await CallbackReceiver()
        let callee = "+8613800000078"
        let scenario = SimulatorScenario(callees: [callee: CalleeProfile(outcome: .fixed(.answer), digits: ["1"], statusSignatureURL: .feeUrl)])
        let harness = SimulatorHarness(scenario: scenario)
        let request = SimulatorHarness.notifyBody(callee: callee, collect: [1], statusURL: receiver.statusURL, feeURL: receiver.feeURL)
        try await harness.simulator.makeApplication().test(.router) { client in
            let answer = try await client.notify(harness, request)
            #expect(answer.response.resultcode == "0")
            #expect(await eventually(within: 3) { await harness.simulator.snapshot().deliveries.count == 6 })
        }
        await receiver.stop()
        let statusPushes = receiver.received.filter { $0.path == "/cb/status" }
        #expect(statusPushes.count == 5)
        for push in statusPushes {
            // Over the fee URL, and not over the status URL it was posted to.
            await #expect(throws: Never.self) {
                try await CallbackVerifier(credentials: harness.credentials, clock: harness.clock).verify(xaksk: push.xaksk, url: receiver.feeURL)
            }
            await #expect(throws: CallbackVerifier.Rejection.badDigest) {
                try await CallbackVerifier(credentials: harness.credentials, clock: harness.clock).verify(xaksk: push.xaksk, url: receiver.statusURL)
            }
        }
    }
}
