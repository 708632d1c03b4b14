import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// A job-class code (1013004 callee blacklisted, 1013100, 1013101) fails
    /// only the job it answers, with the code and description, after one
    /// request; every other job is called as usual, nothing pauses or halts
    /// (docs/result-codes.md job class).
    @Suite struct JobFailures {
        static let bad = "+8613400000001"

        static func scenario(code: String) -> String {
            // 1013004 the way the platform gives it (a blacklist); the others forced.
            let fault = code == "1013004"
                ? #""blacklist": ["\#(bad)"]"#
                : #""callees": {"\#(bad)": {"forceResultCode": "\#(code)"}}"#
            return """
            {"limits": {"ports": 10, "requestsPerSecond": 0}, \(fault),
             "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
             "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.5, "talkSeconds": 1}}
            """
        }

        @Test(.timeLimit(.minutes(1)), arguments: ["1013004", "1013100", "1013101"])
        func jobCodeFailsOnlyThatJob(_ code: String) async throws {
            try await DaemonHarness.run(.init(scenario: Self.scenario(code: code))) { daemon in
                try daemon.submit([JobLine.notify("bad", callee: Self.bad)] + (0..<8).map { JobLine.notify("ok\($0)", callee: JobLine.callee($0)) })
                #expect(try await daemon.waitFor(.completed, count: 8), "\(daemon.states)")
                #expect(try await daemon.waitFor(.failed, count: 1), "\(daemon.states)")
                let bad = try daemon.job("bad")
                #expect(bad.job.errorCode == code)
                #expect(bad.job.errorDesc?.isEmpty == false)
                #expect(bad.attempts.map(\.resultcode) == [code])
                #expect(await daemon.requests(to: Self.bad).count == 1)
                #expect(try daemon.database.pauses().isEmpty)
                #expect(try daemon.database.halts().first == nil)
            }
        }
    }
}
