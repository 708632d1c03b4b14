import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// A job whose `ttl` or `expiresAt` passes while it cannot be sent (every
    /// port holds a long call) becomes `expired` and is never sent (docs/states.md,
    /// §6 expiry). Time runs on an injected clock the test moves 5 minutes.
    @Suite struct Expiry {
        static let scenario = """
        {"limits": {"ports": 2, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1},
         "defaults": {"outcome": "answer", "ringSeconds": 0.5, "talkSeconds": 100000}}
        """
        static let late = "+8613300000001"

        enum Lifetime: String, Sendable, CaseIterable { case ttl, expiresAt }

        @Test(.timeLimit(.minutes(1)), arguments: Lifetime.allCases)
        func jobThatCannotBeSentExpiresUnsent(_ lifetime: Lifetime) async throws {
            let clock = TestClock()
            var options = DaemonHarness.Options(scenario: Self.scenario, clock: clock)
            options.config.limits = ["max_concurrent_calls": "2", "verify_reserved_ports": "0"]
            try await DaemonHarness.run(options) { daemon in
                try daemon.submit([JobLine.notify("long0", callee: JobLine.callee(0)), JobLine.notify("long1", callee: JobLine.callee(1))])
                #expect(try await daemon.waitFor(.inCall, count: 2), "\(daemon.states)")
                let expiry = switch lifetime {
                case .ttl: #""ttl":"5m""#
                case .expiresAt: #""expiresAt":"\#(Timestamp.format(clock.now.addingTimeInterval(300)))""#
                }
                try daemon.submit([JobLine.notify("late", callee: Self.late, extra: expiry)])
                #expect(try await eventually { daemon.record("late")?.state == .queued })
                try await Task.sleep(for: .milliseconds(200))
                #expect(daemon.record("late")?.state == .queued, "sent although no port was free")

                clock.advance(.seconds(301))
                #expect(try await eventually { daemon.record("late")?.state == .expired }, "\(daemon.states)")
                let late = try daemon.job("late")
                #expect(late.attempts.isEmpty)
                #expect(late.job.calls == 0)
                #expect(await daemon.requests(to: Self.late).isEmpty)
                #expect(try daemon.counts()[.inCall] == 2, "the long calls are untouched")
            }
        }
    }
}
