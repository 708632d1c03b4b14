import CallSpool
import CallSpoolCore
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI
import VoiceCallSimulator

extension EndToEnd {
    /// Billed minutes through the whole daemon: the simulator's fee CDRs,
    /// pushed after each disconnect, set each job's `billedMinutes` to its
    /// CDR's answered duration rounded up to whole minutes.
    @Suite struct BilledMinutes {
        static let scenario = """
        {"displayNumbers": ["+8675528000088"],
         "limits": {"ports": 4, "requestsPerSecond": 1000, "perCalleeMax": 3, "perCalleeWindowSeconds": 86400, "perDisplayNumberPerMinute": 100000},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 1, "talkSeconds": 61},
         "callees": {"+8613700000001": {"talkSeconds": 125}, "+8613700000002": {"outcome": "busy"}}}
        """

        /// The test's own reading of a CDR, independent of the daemon's rule:
        /// answered seconds rounded up to minutes, 0 when not answered.
        static func expectedMinutes(_ record: FeeRecord) throws -> Int {
            guard let answer = record.callOutAnswerTime else { return 0 }
            let endText = try #require(record.callEndTime)
            let end = try #require(CivilTime.parse(endText))
            let start = try #require(CivilTime.parse(answer))
            let seconds = end - start
            return Int((seconds + 59) / 60)
        }

        @Test(.timeLimit(.minutes(1)))
        func billedMinutesAreTheSimulatorsCDRDurationsRoundedUp() async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.timeScale = 60
            try await DaemonHarness.run(options) { daemon in
                try daemon.submit([
                    JobLine.notify("n0", callee: JobLine.callee(0)), JobLine.notify("n1", callee: JobLine.callee(1)),
                    JobLine.notify("n2", callee: JobLine.callee(2)),
                ])
                // Jobs finish at the disconnect; their CDRs come a moment later.
                let applied = try await eventually(timeout: .seconds(30)) {
                    ["n0", "n1", "n2"].allSatisfy { (try? daemon.job($0))?.cdrs.first?.applied == true }
                }
                #expect(applied, "\(daemon.states)")
                var expected: [String: Int] = [:]
                for id in ["n0", "n1", "n2"] {
                    let detail = try daemon.job(id)
                    let cdr = try #require(detail.cdrs.first?.fee)
                    expected[id] = try Self.expectedMinutes(cdr)
                    #expect(detail.job.billedMinutes == expected[id], "\(id): CDR \(cdr.callOutAnswerTime ?? "-") → \(cdr.callEndTime ?? "-")")
                }
                #expect(expected == ["n0": 2, "n1": 3, "n2": 0], "the scenario's 61 s and 125 s calls and a busy callee")
                // The daemon's metric counts each applied CDR's minutes once.
                let registry = try #require(daemon.parts.metrics.registry)
                var bytes: [UInt8] = []
                registry.emit(into: &bytes)
                let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("callspool_billed_minutes_total{") }
                #expect(line.map { $0.contains(#"type="notify""#) && $0.hasSuffix(" \(expected.values.reduce(0, +))") } == true, "\(line ?? "no series")")
            }
        }
    }
}
