import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI
import VoiceCallSimulator

extension EndToEnd {
    /// Job file to platform: the tone after a verify code and the replay
    /// trigger of a prompt reach the simulator under the platform's names,
    /// whether the job file used those names or the reference's spellings
    /// (aliases, reported as warnings in the file's report).
    @Suite struct JobFieldNames {
        static let scenario = """
        {"displayNumbers": ["+8675528000088", "+8675528000089"],
         "limits": {"ports": 8, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 1, "talkSeconds": 2}}
        """

        static let right = "+8613600000001"
        static let alias = "+8613600000002"
        static let trigger = "+8613600000003"

        @Test(.timeLimit(.minutes(1)))
        func toneAndTriggerReachThePlatform() async throws {
            try await DaemonHarness.run(DaemonHarness.Options(scenario: Self.scenario)) { daemon in
                try daemon.submit(contents: [
                    JobLine.verify("tone-right", callee: Self.right, extra: #""posTone":"right.wav""#),
                    JobLine.verify("tone-alias", callee: Self.alias, extra: #""postOne":"alias.wav""#),
                    #"{"type":"notify","id":"trigger-alias","calleeNbr":"\#(Self.trigger)","playInfoList":[{"notifyVoice":"a.wav","collectInd":1,"replayAfterCollection":"true","collectContentTriggerReplacing":"9"}]}"#,
                ].joined(separator: "\n"), fileName: "names.jsonl")

                #expect(try await daemon.waitFor(.completed, count: 3, timeout: .seconds(30)), "\(daemon.states)")
                #expect(await daemon.requests(to: Self.right).first?.posTone == "right.wav")
                #expect(await daemon.requests(to: Self.alias).first?.posTone == "alias.wav")
                #expect(await daemon.requests(to: Self.trigger).first?.collectContentTriggerReplaying == ["9"])

                let processed = daemon.configuration.spool.dir + "/processed"
                let report = try JSONDecoder().decode(
                    FileReport.self, from: Data(contentsOf: URL(fileURLWithPath: processed + "/names.jsonl.report.json")))
                #expect(report.accepted == 3)
                #expect(report.warnings.map(\.line) == [2, 3])
                #expect(report.warnings.map(\.field) == ["postOne", "playInfoList[0].collectContentTriggerReplacing"])
            }
        }
    }
}
