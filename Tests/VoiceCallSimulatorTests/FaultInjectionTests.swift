import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

@Suite(.serialized) struct FaultInjectionTests {
    func types(_ receiver: CallbackReceiver) -> [CallbackEventType] {
        receiver.received.compactMap { $0.event?.eventType }
    }

    @Test func collectInfoArrivesBeforeTheResponse() async throws {
        let receiver = try await CallbackReceiver()
        let callee = "+8613800000055"
        let harness = SimulatorHarness(scenario: SimulatorScenario(callees: [
            callee: CalleeProfile(talkSeconds: .fixed(200), digits: ["9"], collectInfoBeforeResponse: true)
        ]))
        try await harness.simulator.makeApplication().test(.router) { client in
            let answer = try await client.notify(harness, SimulatorHarness.notifyBody(callee: callee, collect: [1], statusURL: receiver.statusURL))
            #expect(answer.response.resultcode == "0")
            #expect(types(receiver).contains(.collectInfo))
            #expect(!types(receiver).contains(.disconnect))
        }
        await receiver.stop()
    }

    @Test func droppedDisconnectDuplicateFeeAndThrottledStateCode() async throws {
        let receiver = try await CallbackReceiver()
        let harness = SimulatorHarness(scenario: SimulatorScenario(callees: [
            "+8613800000011": CalleeProfile(dropDisconnect: true, duplicateFee: true),
            "+8613800000012": CalleeProfile(disconnectStateCode: 7109),
        ]))
        try await harness.simulator.makeApplication().test(.router) { client in
            for callee in ["+8613800000011", "+8613800000012"] {
                let request = SimulatorHarness.notifyBody(callee: callee, statusURL: receiver.statusURL, feeURL: receiver.feeURL)
                _ = try await client.notify(harness, request)
            }
            #expect(await eventually(within: 3) { types(receiver).filter { $0 == .fee }.count == 3 })
        }
        await receiver.stop()
        let disconnects = receiver.received.compactMap { push -> CallStatusInfo? in
            guard case .status(.disconnect, let info) = push.event else { return nil }
            return info
        }
        #expect(disconnects.map(\.stateCode) == [7109])
        let fees = receiver.received.compactMap { push -> [FeeRecord]? in
            guard case .fee(let records) = push.event else { return nil }
            return records
        }.flatMap { $0 }
        #expect(fees.filter { $0.calleeNum == "+8613800000011" }.count == 2)
        #expect(fees.first { $0.calleeNum == "+8613800000012" }?.ulFailReason == 7109)
    }

    @Test func forcedResultCodeAndRuntimeInjection() async throws {
        let harness = SimulatorHarness(scenario: SimulatorScenario(callees: [
            "+8613800000021": CalleeProfile(forceResultCode: "1020165")
        ]))
        try await harness.simulator.makeApplication().test(.router) { client in
            let forced = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000021"))
            #expect(forced.status == 403)
            #expect(forced.response.resultcode == "1020165")
            let profile = try SimulatorHarness.encode(CalleeProfile(forceResultCode: "1013117"))
            try await client.execute(uri: "/_sim/callees/+8613800000022", method: .put, body: profile) { response in
                #expect(response.status == .ok)
            }
            let injected = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000022"))
            #expect(injected.response.resultcode == "1013117")
            try await client.execute(uri: "/_sim/callees/+8613800000022", method: .delete)
            #expect(try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000022")).response.resultcode == "0")
            try await client.execute(uri: "/_sim/state", method: .get) { response in
                let snapshot = try JSONDecoder().decode(SimulatorSnapshot.self, from: Data(response.body.readableBytesView))
                #expect(snapshot.requests.count == 3)
                #expect(snapshot.resultCodes == ["1020165": 1, "1013117": 1, "0": 1])
            }
        }
    }

    @Test func responseDelay() async throws {
        let harness = SimulatorHarness(scenario: SimulatorScenario(callees: [
            "+8613800000031": CalleeProfile(responseDelaySeconds: 150)
        ]))
        try await harness.simulator.makeApplication().test(.router) { client in
            let start = ContinuousClock.now
            let answer = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000031"))
            #expect(answer.response.resultcode == "0")
            #expect(ContinuousClock.now - start >= .milliseconds(140))
        }
    }

    @Test func inspectionIsOffUnlessEnabled() async throws {
        let simulator = VoiceCallSimulator(configuration: .init())
        try await simulator.makeApplication().test(.router) { client in
            try await client.execute(uri: "/_sim/state", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
