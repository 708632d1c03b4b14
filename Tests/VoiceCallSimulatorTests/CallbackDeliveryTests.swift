import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

@Suite(.serialized) struct CallbackDeliveryTests {
    static let digitsCallee = "+8613800000077"

    func statusPushes(_ receiver: CallbackReceiver) -> [(CallbackEventType, CallStatusInfo, String?)] {
        receiver.received.compactMap { push in
            guard case .status(let type, let info) = push.event else { return nil }
            return (type, info, push.xaksk)
        }
    }

    func feeRecords(_ receiver: CallbackReceiver) -> [[FeeRecord]] {
        receiver.received.compactMap { push in
            guard case .fee(let records) = push.event else { return nil }
            return records
        }
    }

    @Test func signedEventsInOrderThenTheCDR() async throws {
        let receiver = try await CallbackReceiver()
        let scenario = SimulatorScenario(callees: [Self.digitsCallee: CalleeProfile(digits: ["1", "23"])])
        let harness = SimulatorHarness(scenario: scenario)
        let request = SimulatorHarness.notifyBody(
            callee: Self.digitsCallee, collect: [1, 2], statusURL: receiver.statusURL, feeURL: receiver.feeURL)
        try await harness.simulator.makeApplication().test(.router) { client in
            let answer = try await client.notify(harness, request)
            #expect(answer.response.resultcode == "0")
            // The simulator records a push once the receiver's answer is in.
            #expect(await eventually(within: 3) { await harness.simulator.snapshot().deliveries.count == 7 })
        }
        await receiver.stop()
        let verifier = CallbackVerifier(credentials: harness.credentials, clock: harness.clock)
        let statuses = statusPushes(receiver)
        #expect(statuses.map(\.0) == [.callout, .alerting, .answer, .collectInfo, .collectInfo, .disconnect])
        for (_, _, xaksk) in statuses {
            await #expect(throws: Never.self) { try await verifier.verify(xaksk: xaksk, url: receiver.statusURL) }
        }
        let collects = statuses.filter { $0.0 == .collectInfo }.map(\.1)
        #expect(collects.map(\.digitInfo) == ["1", "23"])
        #expect(collects.allSatisfy { $0.userData == nil })
        let disconnect = try #require(statuses.last?.1)
        #expect(disconnect.stateCode == 0)
        #expect(disconnect.userData == "cs1.job.1")
        let cdr = try #require(feeRecords(receiver).first?.first)
        #expect(cdr.dynIVRPath == "1-23")
        #expect(cdr.wasAnswered)
        #expect(cdr.sessionId == disconnect.sessionId)
        #expect(cdr.appKey == harness.credentials.appKey)
        let feePush = try #require(receiver.received.first { if case .fee = $0.event { true } else { false } })
        await #expect(throws: Never.self) { try await verifier.verify(xaksk: feePush.xaksk, url: receiver.feeURL) }
        // A status signature does not verify against another URL.
        await #expect(throws: CallbackVerifier.Rejection.badDigest) {
            try await CallbackVerifier(credentials: harness.credentials, clock: harness.clock)
                .verify(xaksk: statuses[0].2, url: receiver.feeURL)
        }
        let deliveries = await harness.simulator.snapshot().deliveries
        #expect(deliveries.count == 7)
        #expect(deliveries.allSatisfy { $0.succeeded })
    }

    @Test func verifyCallsPlayTheCodeWithoutCollectInfo() async throws {
        let receiver = try await CallbackReceiver()
        let harness = SimulatorHarness()
        let request = CallVerifyRequest(
            displayNbr: SimulatorHarness.display, calleeNbr: SimulatorHarness.callee, preTone: "pre.wav", verifyCode: "4821",
            times: 2, statusUrl: CallbackURL.encode(receiver.statusURL), feeUrl: CallbackURL.encode(receiver.feeURL),
            userData: "cs1.v.1")
        try await harness.simulator.makeApplication().test(.router) { client in
            let answer = try await client.call(CallVerifyRequest.path, headers: harness.signedHeaders(), body: SimulatorHarness.encode(request))
            #expect(answer.response.resultcode == "0")
            #expect(await eventually(within: 3) { !feeRecords(receiver).isEmpty })
        }
        await receiver.stop()
        let statuses = statusPushes(receiver)
        #expect(statuses.map(\.0) == [.callout, .alerting, .answer, .disconnect])
        #expect(statuses.allSatisfy { $0.1.userData == "cs1.v.1" })
        let cdr = try #require(feeRecords(receiver).first?.first)
        #expect(cdr.wasAnswered)
        #expect(cdr.dynIVRPath == nil)
        #expect(cdr.userData == "cs1.v.1")
    }

    @Test func feesAreBatchedUpToFifty() async throws {
        let receiver = try await CallbackReceiver()
        var timing = SimulatorHarness.fastTiming
        // 3 s real at the harness's time scale: the 60 requests go out well within it even on a busy machine.
        timing.feeBatchWindowSeconds = 3000
        let harness = SimulatorHarness(scenario: SimulatorScenario(limits: SimulatorLimits(ports: 100, requestsPerSecond: 0), timing: timing))
        try await harness.simulator.makeApplication().test(.router) { client in
            for n in 0..<60 {
                let request = SimulatorHarness.notifyBody(callee: "+86139\(String(format: "%08d", n))", feeURL: receiver.feeURL)
                let answer = try await client.notify(harness, request)
                #expect(answer.response.resultcode == "0")
            }
            #expect(await eventually(within: 10) { feeRecords(receiver).map(\.count).reduce(0, +) == 60 })
        }
        await receiver.stop()
        let sizes = feeRecords(receiver).map(\.count)
        #expect(sizes.allSatisfy { $0 <= 50 })
        #expect(sizes.contains(50))
        #expect(Set(feeRecords(receiver).flatMap { $0 }.map(\.sessionId)).count == 60)
    }

    @Test func refusedFeesAreRepushed() async throws {
        let receiver = try await CallbackReceiver(refuseFees: 2)
        let harness = SimulatorHarness()
        try await harness.simulator.makeApplication().test(.router) { client in
            _ = try await client.notify(harness, SimulatorHarness.notifyBody(feeURL: receiver.feeURL))
            #expect(await eventually(within: 3) { await harness.simulator.snapshot().deliveries.count == 3 })
        }
        await receiver.stop()
        #expect(Set(feeRecords(receiver).flatMap { $0 }.map(\.sessionId)).count == 1)
        let fees = await harness.simulator.snapshot().deliveries.filter { $0.eventType == "fee" }
        #expect(fees.map(\.attempt) == [0, 1, 2])
        #expect(fees.map(\.receiverResultcode) == ["1", "1", "0"])
        #expect(fees.map(\.succeeded) == [false, false, true])
    }

    @Test func feesStopAfterSixRepushes() async throws {
        let receiver = try await CallbackReceiver(refuseFees: 100)
        let harness = SimulatorHarness()
        try await harness.simulator.makeApplication().test(.router) { client in
            _ = try await client.notify(harness, SimulatorHarness.notifyBody(feeURL: receiver.feeURL))
            #expect(await eventually(within: 3) { await harness.simulator.snapshot().deliveries.count == 7 })
            try await Task.sleep(for: .milliseconds(100))
        }
        await receiver.stop()
        #expect(feeRecords(receiver).count == 7)
    }
}
