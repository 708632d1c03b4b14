import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI
import VoiceCallSimulator

extension EndToEnd {
    /// The daemon as `callspool run` builds it, against the simulator on loopback:
    /// jobs dropped in the spool are dispatched, called, and matched back with
    /// their digits and outcomes — with the platform's real port limit hidden
    /// below the configured one.
    @Suite struct SpoolToCompleted {
        static let scenario = """
        {"displayNumbers": ["+8675528000088", "+8675528000089"],
         "limits": {"ports": 4, "requestsPerSecond": 1000, "perCalleeMax": 3, "perCalleeWindowSeconds": 86400, "perDisplayNumberPerMinute": 100000},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 1, "talkSeconds": 2},
         "callees": {"+8613700000005": {"outcome": "busy"}}}
        """

        @Test(.timeLimit(.minutes(1)))
        func jobsFlowFromSpoolToCompletedWithDigits() async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.limits = ["max_concurrent_calls": "8", "verify_reserved_ports": "1", "requests_per_second": "20"]
            try await DaemonHarness.run(options) { daemon in
                // 24 notify jobs (one callee always busy) and a login code.
                var lines = (0..<24).map { JobLine.notify("n\($0)", callee: JobLine.callee($0)) }
                lines.append(JobLine.verify("otp", callee: "+8613900000001"))
                try daemon.submit(lines)

                #expect(try await daemon.waitFor(.completed, count: 25, timeout: .seconds(30)), "\(daemon.states)")
                let otp = try daemon.job("otp")
                #expect(otp.job.outcome == .answered)
                #expect(!otp.job.payload.storedText.contains("4829"))
                #expect(try daemon.job("n5").job.outcome == .busy)
                for index in [0, 7, 23] {
                    let job = try daemon.job("n\(index)")
                    #expect(job.job.outcome == .answered)
                    #expect(job.job.digits == ["1"])
                    #expect(job.attempts.filter { $0.sessionId != nil }.count == 1)
                }
                // Nobody was called twice, and the hidden limit of 4 ports held.
                let snapshot = await daemon.simulator.snapshot()
                #expect(snapshot.peakPorts <= 4)
                // The adaptive limit finds the hidden 4 ports (idlePort) instead of being pushed back call after call:
                // only the first burst (8 configured ports, before any answer) can overshoot.
                #expect((snapshot.resultCodes["1020154"] ?? 0) <= 6, "\(snapshot.resultCodes)")
                #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "\(snapshot.callsPerCallee)")
            }
        }
    }
}
