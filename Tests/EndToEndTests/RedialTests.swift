import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// Redial policies over the real call flow (docs/job-files.md `redial`, §4): an
    /// outcome the policy names is called again after `interval` until
    /// `maxAttempts` calls, each call recorded as an attempt; an outcome it
    /// does not name completes the job; a call the platform ends for lack of
    /// ports (disconnect 7109, `throttled`) is requeued without using up a
    /// redial. Time runs on an injected clock the test moves.
    @Suite struct Redial {
        static let scenario = """
        {"limits": {"ports": 10, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.5, "talkSeconds": 1}}
        """
        static let callee = "+8613200000001"

        struct Case: Sendable, CustomTestStringConvertible {
            var simulated: CallOutcome
            var on: [String]
            var calls: Int
            var outcome: Outcome
            var testDescription: String { "\(simulated.rawValue), redial on \(on): \(calls) call(s)" }
        }

        static func redial(maxAttempts: Int, on: [String]) -> String {
            #""redial":{"maxAttempts":\#(maxAttempts),"interval":"20m","on":[\#(on.map { "\"\($0)\"" }.joined(separator: ","))]}"#
        }

        /// Waits until the job has `calls` calls and is back in the queue, then
        /// moves the clock to its next try.
        static func advanceToRedial(_ daemon: DaemonHarness, clock: TestClock, calls: Int) async throws {
            #expect(try await eventually { daemon.record("r")?.calls == calls && daemon.record("r")?.state == .queued }, "\(String(describing: daemon.record("r")))")
            let job = try daemon.job("r").job
            let wait = job.nextAttemptAt.timeIntervalSince(clock.now)
            clock.advance(.seconds(wait + 1))
        }

        @Test(.timeLimit(.minutes(1)), arguments: [
            Case(simulated: .noAnswer, on: ["no_answer"], calls: 3, outcome: .noAnswer),
            Case(simulated: .busy, on: ["no_answer", "busy"], calls: 3, outcome: .busy),
            Case(simulated: .busy, on: ["no_answer"], calls: 1, outcome: .busy),
        ])
        func redialAfterIntervalUntilMaxAttempts(_ setup: Case) async throws {
            let clock = TestClock()
            try await DaemonHarness.run(.init(scenario: Self.scenario, clock: clock)) { daemon in
                await daemon.simulator.setProfile(CalleeProfile(outcome: .fixed(setup.simulated)), for: Self.callee)
                try daemon.submit([JobLine.notify("r", callee: Self.callee, extra: Self.redial(maxAttempts: 3, on: setup.on))])
                for calls in 1..<setup.calls {
                    try await Self.advanceToRedial(daemon, clock: clock, calls: calls)
                }
                #expect(try await eventually { daemon.record("r")?.state == .completed }, "\(String(describing: daemon.record("r")))")

                let job = try daemon.job("r")
                #expect(job.job.calls == setup.calls)
                #expect(job.job.outcome == setup.outcome)
                #expect(job.attempts.count == setup.calls)
                #expect(job.attempts.allSatisfy { $0.resultcode == "0" && $0.sessionId != nil })
                for (earlier, later) in zip(job.attempts, job.attempts.dropFirst()) {
                    #expect(later.at.timeIntervalSince(earlier.at) >= 20 * 60, "redialed before the interval")
                }
                #expect(await daemon.simulator.snapshot().callsPerCallee[Self.callee] == setup.calls)
            }
        }

        @Test(.timeLimit(.minutes(1)))
        func throttledCallIsRequeuedWithoutUsingARedial() async throws {
            let clock = TestClock()
            try await DaemonHarness.run(.init(scenario: Self.scenario, clock: clock)) { daemon in
                await daemon.simulator.setProfile(CalleeProfile(outcome: .fixed(.noAnswer), disconnectStateCode: 7109), for: Self.callee)
                try daemon.submit([JobLine.notify("r", callee: Self.callee, extra: Self.redial(maxAttempts: 2, on: ["no_answer"]))])
                #expect(try await eventually { daemon.record("r")?.outcome == .throttled && daemon.record("r")?.state == .queued })
                let throttled = try daemon.job("r").job
                #expect(throttled.calls == 0, "a throttled call counted against the redial policy")
                #expect(throttled.stateCode == 7109)

                // The platform has ports again; the callee does not answer: two counted calls follow.
                await daemon.simulator.setProfile(CalleeProfile(outcome: .fixed(.noAnswer)), for: Self.callee)
                let wait = throttled.nextAttemptAt.timeIntervalSince(clock.now)
                clock.advance(.seconds(wait + 1))
                try await Self.advanceToRedial(daemon, clock: clock, calls: 1)
                #expect(try await eventually { daemon.record("r")?.state == .completed }, "\(String(describing: daemon.record("r")))")

                let job = try daemon.job("r")
                #expect(job.job.calls == 2)
                #expect(job.job.outcome == .noAnswer)
                #expect(job.attempts.count == 3)
                #expect(await daemon.simulator.snapshot().callsPerCallee[Self.callee] == 3)
            }
        }
    }
}
