import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// A login code is not delayed by a large campaign (docs/scheduling.md priority,
    /// §12 "verify job latency while a campaign saturates the ports"): with
    /// 5,000 notify jobs queued and every notify port busy, each verify job
    /// dropped into the spool is sent within 1 s (measured on the daemon's
    /// clock: drop time → its attempt row, which is written just before the
    /// request) on a reserved port, and the platform accepts it.
    @Suite struct VerifyPriority {
        static let scenario = """
        {"limits": {"ports": 10, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.5, "talkSeconds": {"min": 10, "max": 30}}}
        """

        static func campaign(jobs: Int) -> String {
            let entries = (0..<jobs).map { #"{"calleeNbr":"\#(JobLine.callee($0))"}"# }.joined(separator: ",")
            return #"{"campaign":"big","type":"notify","defaults":{"playInfoList":[{"notifyVoice":"a.wav","collectInd":1}]},"jobs":[\#(entries)]}"#
        }

        @Test(.timeLimit(.minutes(1)))
        func verifyJobIsSentWithinOneSecondWhileACampaignSaturatesThePorts() async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.limits = ["max_concurrent_calls": "10", "verify_reserved_ports": "2"]
            try await DaemonHarness.run(options) { daemon in
                try daemon.submit(contents: Self.campaign(jobs: 5000), fileName: "big.json")
                // Saturated: every notify port (10 − 2 reserved) holds a call, thousands wait.
                #expect(try await eventually {
                    let counts = try daemon.counts()
                    return counts[.inCall] == 8 && (counts[.queued] ?? 0) > 4000
                }, "\(daemon.states)")

                for index in 0..<3 {
                    let dropped = daemon.clock.now
                    try daemon.submit([JobLine.verify("otp\(index)", callee: JobLine.callee(index, prefix: "+86139"))])
                    #expect(try await eventually { [.inCall, .completed].contains(daemon.record("otp\(index)")?.state) }, "\(daemon.states)")
                    let otp = try daemon.job("otp\(index)")
                    let sent = try #require(otp.attempts.first)
                    #expect(sent.at.timeIntervalSince(dropped) <= 1.0, "drop → request took \(sent.at.timeIntervalSince(dropped)) s")
                    #expect(otp.attempts.map(\.resultcode) == ["0"], "the reserved port was not free")
                    let queued = try daemon.counts()[.queued] ?? 0
                    #expect(queued > 3000, "the campaign drained (\(queued) queued): the ports were not saturated")
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
        }
    }
}
