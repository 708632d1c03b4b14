import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// A configuration or account problem (401/1010010 invalid digest,
    /// 1010003 unknown app key) halts all dispatch without failing a single
    /// job: jobs stay queued, the halt is stored for `status`, one probe goes
    /// out per `backoff.halt`, and the first probe that succeeds resumes
    /// dispatch (docs/result-codes.md halt class).
    @Suite struct Halts {
        static let scenario = """
        {"limits": {"ports": 10, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.5, "talkSeconds": 1}}
        """

        struct Refusal: Sendable, CustomTestStringConvertible {
            /// What the simulator answers (`forceResultCode`).
            var forced: String
            var httpStatus: Int
            var code: String
            var testDescription: String { "\(httpStatus)/\(code)" }
        }

        @Test(.timeLimit(.minutes(1)), arguments: [
            Refusal(forced: "401/1010010", httpStatus: 401, code: "1010010"),
            Refusal(forced: "1010003", httpStatus: 403, code: "1010003"),
        ])
        func haltKeepsEveryJobQueuedAndAProbeResumes(_ refusal: Refusal) async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.backoff = ["halt": "\"1s\""]
            let callees = (0..<6).map { JobLine.callee($0) }
            try await DaemonHarness.run(options) { daemon in
                for callee in callees { await daemon.simulator.setProfile(CalleeProfile(forceResultCode: refusal.forced), for: callee) }
                try daemon.submit(callees.enumerated().map { JobLine.notify("h\($0.offset)", callee: $0.element) })
                #expect(try await eventually { try daemon.database.halts().first != nil })
                let burst = await daemon.simulator.snapshot().requests.count
                let haltedAt = ContinuousClock.now
                // Probes, one per backoff.halt: wait for two of them.
                #expect(try await eventually(timeout: .seconds(5)) { await daemon.simulator.snapshot().requests.count >= burst + 2 })
                let observed = ContinuousClock.now - haltedAt

                let snapshot = await daemon.simulator.snapshot()
                #expect(snapshot.requests.allSatisfy { $0.httpStatus == refusal.httpStatus && $0.resultcode == refusal.code }, "\(snapshot.resultCodes)")
                #expect(snapshot.requests.count - burst <= Int(observed / .seconds(1)) + 2, "more than one probe per backoff.halt")
                let halt = try #require(try daemon.database.halts().first)
                #expect(halt.code == refusal.code)
                let counts = try daemon.counts()
                #expect(counts[.failed] == 0 && counts[.completed] == 0, "\(daemon.states)")
                #expect((counts[.queued] ?? 0) + (counts[.dispatching] ?? 0) == callees.count, "\(daemon.states)")

                // The account is fixed: the next probe succeeds and everything goes out.
                for callee in callees { await daemon.simulator.setProfile(nil, for: callee) }
                #expect(try await daemon.waitFor(.completed, count: callees.count), "\(daemon.states)")
                #expect(try daemon.database.halts().first == nil)
                for index in callees.indices {
                    let attempts = try daemon.job("h\(index)").attempts
                    #expect(attempts.last?.resultcode == "0")
                    #expect(attempts.dropLast().allSatisfy { $0.resultcode == refusal.code }, "\(attempts)")
                }
                #expect(await daemon.simulator.snapshot().callsPerCallee.values.allSatisfy { $0 == 1 })
            }
        }
    }
}
