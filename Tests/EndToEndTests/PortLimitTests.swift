import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// The platform has fewer voice ports than `limits.max_concurrent_calls`
    /// says: the effective limit converges on the hidden one (from `idlePort`
    /// and 1020154) after the first burst, the platform's ports are used to
    /// the full, only a few requests are refused, every job completes and
    /// nobody is called twice (docs/result-codes.md ports class, §6 adaptive limit).
    @Suite struct PortLimit {
        struct Case: Sendable, CustomTestStringConvertible {
            var hidden: Int
            var configured: Int
            var jobs: Int
            var testDescription: String { "\(hidden) hidden ports, \(configured) configured, \(jobs) jobs" }
        }

        static func scenario(ports: Int) -> String {
            """
            {"limits": {"ports": \(ports), "requestsPerSecond": 0},
             "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
             "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": {"min": 0.5, "max": 1.5}, "talkSeconds": {"min": 1, "max": 3}}}
            """
        }

        @Test(.timeLimit(.minutes(1)), arguments: [Case(hidden: 7, configured: 10, jobs: 80), Case(hidden: 3, configured: 10, jobs: 40)])
        func effectiveLimitConvergesOnTheHiddenPortLimit(_ setup: Case) async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario(ports: setup.hidden))
            options.config.limits = ["max_concurrent_calls": "\(setup.configured)", "verify_reserved_ports": "0"]
            try await DaemonHarness.run(options) { daemon in
                try daemon.submit((0..<setup.jobs).map { JobLine.notify("p\($0)", callee: JobLine.callee($0)) })
                #expect(try await daemon.waitFor(.completed, count: setup.jobs, timeout: .seconds(30)), "\(daemon.states)")

                let snapshot = await daemon.simulator.snapshot()
                let ports = await daemon.parts.scheduler.portFigures
                #expect(ports.effectiveLimit <= setup.hidden, "effective limit \(ports.effectiveLimit)")
                #expect(ports.effectiveLimit >= setup.hidden - 1, "the limit collapsed to \(ports.effectiveLimit)")
                #expect(snapshot.peakPorts == setup.hidden, "the platform's ports were not all used: peak \(snapshot.peakPorts)")
                // The first burst (configured ports sent before any answer) overshoots by configured − hidden;
                // after it, idlePort keeps the daemon inside the platform's limit.
                let refused = snapshot.resultCodes["1020154"] ?? 0
                // In arrival order: "." accepted, "X" refused for lack of ports.
                let sequence = snapshot.requests.map { $0.resultcode == "0" ? "." : $0.resultcode == "1020154" ? "X" : "?" }.joined()
                #expect(refused <= setup.configured - setup.hidden + 2, "\(snapshot.resultCodes) \(sequence)")
                #expect(snapshot.callsPerCallee.count == setup.jobs)
                #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "\(snapshot.callsPerCallee)")
                #expect(snapshot.acceptedCalls == setup.jobs)
            }
        }
    }
}
