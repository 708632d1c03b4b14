import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI
import VoiceCallSimulator

extension EndToEnd {
    /// The simulator pushes as the reference documents: every status push
    /// signed over the fee URL, `partyType` as a string in every disconnect,
    /// some calls answered without a key (8008), some disconnects without
    /// stateCode. Every push is accepted and every job completes with the
    /// right outcome.
    @Suite struct CallbackConformance {
        static let scenario = """
        {"displayNumbers": ["+8675528000088", "+8675528000089"],
         "limits": {"ports": 8, "requestsPerSecond": 1000, "perCalleeMax": 3, "perCalleeWindowSeconds": 86400, "perDisplayNumberPerMinute": 100000},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 1, "talkSeconds": 2,
                      "statusSignatureURL": "feeUrl", "sendPartyType": true},
         "callees": {
           "+8613700000003": {"outcome": "answerNoKey"},
           "+8613700000004": {"outcome": "busy", "omitDisconnectStateCode": true},
           "+8613700000005": {"outcome": "reject"},
           "+8613700000006": {"omitDisconnectStateCode": true}}}
        """

        @Test(.timeLimit(.minutes(1)))
        func pushesSignedOverTheFeeURLCompleteEveryJob() async throws {
            try await DaemonHarness.run(DaemonHarness.Options(scenario: Self.scenario)) { daemon in
                try daemon.submit((0..<12).map { JobLine.notify("n\($0)", callee: JobLine.callee($0)) })
                #expect(try await daemon.waitFor(.completed, count: 12, timeout: .seconds(30)), "\(daemon.states)")

                let snapshot = await daemon.simulator.snapshot()
                let statusDeliveries = snapshot.deliveries.filter { $0.eventType != "fee" }
                #expect(statusDeliveries.count >= 12 * 3)
                #expect(statusDeliveries.allSatisfy { $0.httpStatus == 200 }, "\(statusDeliveries.filter { $0.httpStatus != 200 })")
                let allSucceeded = snapshot.deliveries.allSatisfy { $0.succeeded }
                #expect(allSucceeded)

                for index in [0, 1, 11] {
                    let job = try daemon.job("n\(index)").job
                    #expect(job.outcome == .answered)
                    #expect(job.stateCode == 0)
                    #expect(job.digits == ["1"])
                }
                // Answered, no key within 5 s of the prompt: answered, no digits,
                // decided by the disconnect (a CDR would have said stateCode 0).
                let noKey = try daemon.job("n3").job
                #expect(noKey.outcome == .answered)
                #expect(noKey.stateCode == 8008)
                #expect(noKey.digits.isEmpty)
                // Disconnects without stateCode: the CDR decides.
                #expect(try daemon.job("n4").job.outcome == .busy)
                let codeless = try daemon.job("n6").job
                #expect(codeless.outcome == .answered)
                #expect(codeless.digits == ["1"])
                #expect(try daemon.job("n5").job.outcome == .rejected)
                #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "\(snapshot.callsPerCallee)")
            }
        }
    }
}
