import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

/// Pushes of a call are signed with the credentials of the application that
/// placed it, and its CDR names that application.
@Suite(.serialized) struct ApplicationCallbackTests {
    @Test func pushesOfTheSecondApplicationAreSignedWithItsSecret() async throws {
        let receiver = try await CallbackReceiver()
        let harness = SimulatorHarness(scenario: TwoApplications.scenario())
        let both = TwoApplications.bothCredentials
        let request = SimulatorHarness.notifyBody(
            display: TwoApplications.otherNumber, statusURL: receiver.statusURL, feeURL: receiver.feeURL)
        try await harness.simulator.makeApplication().test(.router) { client in
            let answer = try await client.call(headers: harness.signedHeaders(credentials: both), body: SimulatorHarness.encode(request))
            #expect(answer.response.resultcode == "0")
            #expect(await eventually(within: 3) { receiver.received.contains { if case .fee = $0.event { true } else { false } } })
        }
        await receiver.stop()
        let pushes = receiver.received
        #expect(pushes.count == 5)
        for push in pushes {
            let url = push.path.hasSuffix("/fee") ? receiver.feeURL : receiver.statusURL
            await #expect(throws: Never.self) {
                try await CallbackVerifier(credentials: both, clock: harness.clock).verify(xaksk: push.xaksk, url: url)
            }
            // Not with the first application's key and secret, which signed every push before.
            await #expect(throws: CallbackVerifier.Rejection.self) {
                try await CallbackVerifier(credentials: TwoApplications.notifyCredentials, clock: harness.clock)
                    .verify(xaksk: push.xaksk, url: url)
            }
        }
        let cdr = try #require(pushes.compactMap { if case .fee(let records) = $0.event { records.first } else { nil } }.first)
        #expect(cdr.appKey == both.appKey)
    }

    @Test func applicationsSharingAFeeURLGetPushesOfTheirOwn() async throws {
        let receiver = try await CallbackReceiver()
        var timing = SimulatorHarness.fastTiming
        // 1 s real: both calls end within one batch window.
        timing.feeBatchWindowSeconds = 1000
        var scenario = TwoApplications.scenario()
        scenario.timing = timing
        let harness = SimulatorHarness(scenario: scenario)
        let callers = [
            (TwoApplications.notifyCredentials, TwoApplications.notifyNumber, "+8613800000001"),
            (TwoApplications.bothCredentials, TwoApplications.otherNumber, "+8613800000002"),
        ]
        try await harness.simulator.makeApplication().test(.router) { client in
            for (credentials, display, callee) in callers {
                let request = SimulatorHarness.notifyBody(callee: callee, display: display, feeURL: receiver.feeURL)
                let answer = try await client.call(
                    headers: harness.signedHeaders(credentials: credentials), body: SimulatorHarness.encode(request))
                #expect(answer.response.resultcode == "0")
            }
            #expect(await eventually(within: 5) { receiver.received.count == 2 })
        }
        await receiver.stop()
        for push in receiver.received {
            guard case .fee(let records) = push.event else {
                Issue.record("not a fee push")
                continue
            }
            #expect(records.count == 1)
            let credentials = try #require(callers.first { $0.0.appKey == records.first?.appKey }?.0)
            await #expect(throws: Never.self) {
                try await CallbackVerifier(credentials: credentials, clock: harness.clock)
                    .verify(xaksk: push.xaksk, url: receiver.feeURL)
            }
        }
    }
}
