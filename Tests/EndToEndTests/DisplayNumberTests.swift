import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// A display number of the pool that the platform refuses (1010023: the
    /// application does not own it) is retired; the jobs that drew it are
    /// called with the other number and no job fails. When no number of the
    /// pool is usable, dispatch halts with every job queued.
    @Suite struct DisplayNumbers {
        static let owned = "+8675528000088"
        static let foreign = "+8675528000077"
        static let scenario = """
        {"limits": {"ports": 10, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.5, "talkSeconds": 1}}
        """

        @Test(.timeLimit(.minutes(1)))
        func aRefusedPoolNumberIsRetiredAndEveryJobIsCalledWithAnother() async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.displayNumbers = [Self.foreign, Self.owned]
            try await DaemonHarness.run(options) { daemon in
                try daemon.submit((0..<12).map { JobLine.notify("n\($0)", callee: JobLine.callee($0)) })
                #expect(try await daemon.waitFor(.completed, count: 12), "\(daemon.states)")
                #expect(try daemon.counts()[.failed, default: 0] == 0)
                let retired = try #require(try daemon.database.activePauses(now: Date())[.displayNumber(Self.foreign)])
                #expect(retired.code == "1010023")
                #expect(try daemon.database.halts().first == nil)
                let requests = await daemon.simulator.snapshot().requests
                let refused = requests.filter { $0.displayNbr == Self.foreign }
                // Only the requests already in flight when the first refusal came back used it.
                #expect(refused.count < 12, "\(refused.count) requests used the refused number")
                #expect(requests.filter { $0.displayNbr == Self.owned }.count == 12)
            }
        }

        @Test(.timeLimit(.minutes(1)))
        func whenNoPoolNumberIsUsableDispatchHaltsAndNoJobFails() async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.displayNumbers = [Self.foreign, "+8675528000066"]
            try await DaemonHarness.run(options) { daemon in
                try daemon.submit((0..<6).map { JobLine.notify("n\($0)", callee: JobLine.callee($0)) })
                #expect(try await eventually { try daemon.database.halts().first != nil })
                let halt = try #require(try daemon.database.halts().first)
                #expect(halt.code == "1010023")
                #expect(try await daemon.waitFor(.queued, count: 6), "\(daemon.states)")
                #expect(try daemon.counts()[.failed, default: 0] == 0)
            }
        }
    }
}
