import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

/// Several applications: each authenticates with its own secret and may only
/// use its capabilities, its display numbers and its own port quota.
@Suite struct ApplicationAdmissionTests {
    static let verifyBody = CallVerifyRequest(
        displayNbr: TwoApplications.notifyNumber, calleeNbr: SimulatorHarness.callee, preTone: "pre.wav", verifyCode: "4821")

    @Test func eachApplicationSignsWithItsOwnSecret() async throws {
        let harness = SimulatorHarness(scenario: TwoApplications.scenario())
        let notify = TwoApplications.notifyCredentials
        let both = TwoApplications.bothCredentials
        let mixed = AppCredentials(appKey: both.appKey, appSecret: notify.appSecret)
        let unknown = AppCredentials(appKey: "NoSuchAppKey", appSecret: notify.appSecret)
        try await harness.simulator.makeApplication().test(.router) { client in
            let notifyOwn = try await client.notify(as: notify, harness, display: TwoApplications.notifyNumber)
            #expect((notifyOwn.status, notifyOwn.response.resultcode) == (200, "0"))
            let bothOwn = try await client.notify(as: both, harness, display: TwoApplications.otherNumber)
            #expect((bothOwn.status, bothOwn.response.resultcode) == (200, "0"))
            let wrongSecret = try await client.notify(as: mixed, harness, display: TwoApplications.otherNumber)
            #expect((wrongSecret.status, wrongSecret.response.resultcode) == (401, "1010010"))
            let unknownKey = try await client.notify(as: unknown, harness, display: TwoApplications.otherNumber)
            #expect((unknownKey.status, unknownKey.response.resultcode) == (403, "1010003"))
        }
        let snapshot = await harness.simulator.snapshot()
        let bothRecord = try #require(snapshot.applications[both.appKey])
        #expect(bothRecord.configured)
        #expect(bothRecord.acceptedCalls == 1)
        #expect(bothRecord.rejections == ["401/1010010": 1])
        let stranger = try #require(snapshot.applications["NoSuchAppKey"])
        #expect(!stranger.configured)
        #expect(stranger.rejections == ["403/1010003": 1])
        #expect(snapshot.applications[notify.appKey]?.acceptedCalls == 1)
        #expect(snapshot.requests.map(\.appKey) == [notify.appKey, both.appKey, both.appKey, "NoSuchAppKey"])
    }

    @Test func anApplicationWithoutTheCapabilityGets1010040() async throws {
        let harness = SimulatorHarness(scenario: TwoApplications.scenario())
        let notify = TwoApplications.notifyCredentials
        try await harness.simulator.makeApplication().test(.router) { client in
            let refused = try await client.call(
                CallVerifyRequest.path, headers: harness.signedHeaders(credentials: notify),
                body: SimulatorHarness.encode(Self.verifyBody))
            #expect(refused.status == 403)
            #expect(refused.response.resultcode == "1010040")
            var ownNumber = Self.verifyBody
            ownNumber.displayNbr = TwoApplications.otherNumber
            let allowed = try await client.call(
                CallVerifyRequest.path, headers: harness.signedHeaders(credentials: TwoApplications.bothCredentials),
                body: SimulatorHarness.encode(ownNumber))
            #expect(allowed.response.resultcode == "0")
        }
        let snapshot = await harness.simulator.snapshot()
        #expect(snapshot.applications[notify.appKey]?.rejections == ["403/1010040": 1])
        #expect(snapshot.applications[notify.appKey]?.capabilities == ["notify"])
        #expect(snapshot.applications[TwoApplications.both.appKey]?.capabilities == ["notify", "verify"])
    }

    @Test func aNumberOfAnotherApplicationGets1012001AndAStrangerNumber1010023() async throws {
        let harness = SimulatorHarness(scenario: TwoApplications.scenario())
        let notify = TwoApplications.notifyCredentials
        try await harness.simulator.makeApplication().test(.router) { client in
            let bound = try await client.notify(as: notify, harness, display: TwoApplications.otherNumber)
            #expect((bound.status, bound.response.resultcode) == (403, "1012001"))
            let stranger = try await client.notify(as: notify, harness, display: TwoApplications.strangerNumber)
            #expect((stranger.status, stranger.response.resultcode) == (403, "1010023"))
            let own = try await client.notify(as: notify, harness, display: TwoApplications.notifyNumber)
            #expect((own.status, own.response.resultcode) == (200, "0"))
        }
        let rejections = await harness.simulator.snapshot().applications[notify.appKey]?.rejections
        #expect(rejections == ["403/1012001": 1, "403/1010023": 1])
    }

    @Test func theApplicationQuotaGives1020165WhileTheOtherApplicationStillCalls() async throws {
        // Calls to these two callees talk 600 simulated seconds: 0.6 s real at the harness's scale.
        let long = CalleeProfile(outcome: .fixed(.answer), ringSeconds: .fixed(1), talkSeconds: .fixed(600))
        let harness = SimulatorHarness(scenario: TwoApplications.scenario(
            limits: SimulatorLimits(ports: 3, requestsPerSecond: 0),
            callees: ["+8613800000001": long, "+8613800000003": long]))
        let notify = TwoApplications.notifyCredentials
        let both = TwoApplications.bothCredentials
        try await harness.simulator.makeApplication().test(.router) { client in
            let first = try await client.notify(as: notify, harness, callee: "+8613800000001", display: TwoApplications.notifyNumber)
            #expect(first.response.resultcode == "0")
            #expect(first.response.idlePort == 0)
            let overQuota = try await client.notify(as: notify, harness, callee: "+8613800000002", display: TwoApplications.notifyNumber)
            #expect(overQuota.status == 403)
            #expect(overQuota.response.resultcode == "1020165")
            #expect(overQuota.response.idlePort == 0)
            for callee in ["+8613800000001", "+8613800000003"] {
                let other = try await client.notify(as: both, harness, callee: callee, display: TwoApplications.otherNumber)
                #expect(other.response.resultcode == "0")
            }
            // Now the platform's 3 ports are taken: the platform-wide limit answers as before.
            let platformFull = try await client.notify(as: both, harness, callee: "+8613800000004", display: TwoApplications.otherNumber)
            #expect(platformFull.status == 500)
            #expect(platformFull.response.resultcode == "1020154")
            // The quota's port comes back when the call ends.
            let freed = await eventually(within: 5) {
                await harness.simulator.snapshot().applications[notify.appKey]?.portsInUse == 0
            }
            #expect(freed)
            let again = try await client.notify(as: notify, harness, callee: "+8613800000005", display: TwoApplications.notifyNumber)
            #expect(again.response.resultcode == "0")
        }
        let snapshot = await harness.simulator.snapshot()
        let notifyRecord = try #require(snapshot.applications[notify.appKey])
        #expect(notifyRecord.portLimit == 1)
        #expect(notifyRecord.peakPorts == 1)
        #expect(notifyRecord.acceptedCalls == 2)
        #expect(notifyRecord.rejections == ["403/1020165": 1])
        let bothRecord = try #require(snapshot.applications[both.appKey])
        #expect(bothRecord.portLimit == nil)
        #expect(bothRecord.acceptedCalls == 2)
        #expect(bothRecord.peakPorts == 2)
        #expect(bothRecord.rejections == ["500/1020154": 1])
        #expect(snapshot.resultCodes["1020165"] == 1)
        #expect(snapshot.resultCodes["1020154"] == 1)
    }

    @Test func theSingleApplicationScenarioIsReportedAsOneApplication() async throws {
        let harness = SimulatorHarness()
        try await harness.simulator.makeApplication().test(.router) { client in
            #expect(try await client.notify(harness).response.resultcode == "0")
            let verify = try await client.call(
                CallVerifyRequest.path, headers: harness.signedHeaders(), body: SimulatorHarness.encode(Self.verifyBody))
            #expect(verify.response.resultcode == "0")
            let stranger = try await client.notify(harness, SimulatorHarness.notifyBody(display: TwoApplications.strangerNumber))
            #expect(stranger.response.resultcode == "1010023")
        }
        let snapshot = await harness.simulator.snapshot()
        #expect(Array(snapshot.applications.keys) == [harness.credentials.appKey])
        let record = try #require(snapshot.applications[harness.credentials.appKey])
        #expect(record.configured)
        #expect(record.capabilities == ["notify", "verify"])
        #expect(record.portLimit == nil)
        #expect(record.acceptedCalls == 2)
        #expect(record.rejections == ["403/1010023": 1])
    }
}
