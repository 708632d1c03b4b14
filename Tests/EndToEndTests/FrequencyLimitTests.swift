import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// Frequency limits pause only their scope (docs/result-codes.md frequency class):
    /// 1013117 pauses that callee for `backoff.callee` while everyone else is
    /// called, and its jobs are postponed, not failed; 1013118 pauses that
    /// display number and the pool's other number carries the calls.
    @Suite struct FrequencyLimits {
        static let scenario = """
        {"limits": {"ports": 10, "requestsPerSecond": 0, "perDisplayNumberPerMinute": 8},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.5, "talkSeconds": 1}}
        """
        static let limited = "+8613600000001"
        static let numberA = "+8675528000088"
        static let numberB = "+8675528000089"

        @Test(.timeLimit(.minutes(1)))
        func calleeLimitPausesOnlyThatCallee() async throws {
            let clock = TestClock()
            var options = DaemonHarness.Options(scenario: Self.scenario, clock: clock)
            options.config.backoff = ["callee": "\"1h\""]
            try await DaemonHarness.run(options) { daemon in
                await daemon.simulator.setProfile(CalleeProfile(forceResultCode: "1013117"), for: Self.limited)
                try daemon.submit([JobLine.notify("limited-1", callee: Self.limited)] + (0..<10).map { JobLine.notify("n\($0)", callee: JobLine.callee($0)) })
                #expect(try await eventually { daemon.record("limited-1")?.errorCode == "1013117" && daemon.record("limited-1")?.state == .queued })
                // A second job for the paused callee is not even sent.
                try daemon.submit([JobLine.notify("limited-2", callee: Self.limited)])
                #expect(try await daemon.waitFor(.completed, count: 10), "\(daemon.states)")
                #expect(try await eventually { (daemon.record("limited-2")?.nextAttemptAt ?? .distantPast) > clock.now.addingTimeInterval(3000) })

                let first = try daemon.job("limited-1").job
                let second = try daemon.job("limited-2").job
                #expect(first.state == .queued && first.attempts == 1)
                #expect(first.nextAttemptAt > clock.now.addingTimeInterval(3500), "postponed by backoff.callee (1h)")
                #expect(second.state == .queued && second.attempts == 0)
                let pauses = try daemon.database.pauses()
                #expect(pauses.map(\.scope) == ["callee:\(Self.limited)"], "\(pauses)")
                #expect(pauses.first?.code == "1013117")
                #expect(try daemon.counts()[.failed] == 0)
                #expect(await daemon.requests(to: Self.limited).count == 1)

                // An hour later the platform lets the callee be called again: both jobs go.
                await daemon.simulator.setProfile(nil, for: Self.limited)
                clock.advance(.seconds(3601))
                #expect(try await daemon.waitFor(.completed, count: 12), "\(daemon.states)")
                #expect(try daemon.job("limited-1").attempts.map(\.resultcode) == ["1013117", "0"])
                #expect(await daemon.simulator.snapshot().callsPerCallee[Self.limited] == 2)
            }
        }

        @Test(.timeLimit(.minutes(1)))
        func displayNumberLimitRotatesToTheOtherPoolNumber() async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.limits = ["max_concurrent_calls": "4", "verify_reserved_ports": "0"]
            options.config.displayNumbers = [Self.numberA, Self.numberB]
            try await DaemonHarness.run(options) { daemon in
                // Jobs that name number A use up its platform quota (8 a minute)…
                try daemon.submit((0..<8).map { JobLine.notify("own\($0)", callee: JobLine.callee($0), extra: #""displayNbr":"\#(Self.numberA)""#) })
                #expect(try await daemon.waitFor(.completed, count: 8), "\(daemon.states)")
                // …then pool jobs: A is refused with 1013118 and paused, B carries every call.
                try daemon.submit((0..<6).map { JobLine.notify("pool\($0)", callee: JobLine.callee($0, prefix: "+86135")) })
                #expect(try await daemon.waitFor(.completed, count: 14), "\(daemon.states)")

                let snapshot = await daemon.simulator.snapshot()
                // Only the first scheduling pass (4 ports) can send pool jobs to A before its answer pauses it.
                let refused = snapshot.requests.filter { $0.resultcode == "1013118" }
                #expect((1...3).contains(refused.count), "\(snapshot.resultCodes)")
                #expect(refused.allSatisfy { $0.displayNbr == Self.numberA })
                for index in 0..<6 {
                    let job = try daemon.job("pool\(index)")
                    #expect(job.job.outcome == .answered)
                    #expect(job.attempts.filter { $0.sessionId != nil }.map(\.displayNbr) == [Self.numberB], "\(job.attempts)")
                    #expect(job.attempts.count <= 2)
                }
                let pause = try daemon.database.pauses().first { $0.scope == "display:\(Self.numberA)" }
                #expect(pause?.code == "1013118")
                #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 })
            }
        }
    }
}
