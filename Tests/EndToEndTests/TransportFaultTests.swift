import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// A platform (or a proxy in front of it) that drops connections must
    /// not turn the queue into `unknown` jobs: with 100 jobs queued, at most
    /// 3 become `unknown` per fault (slow start keeps one request in flight
    /// while nothing is answered, and the transport breaker pauses dispatch
    /// after 3 lost requests); the rest stay queued and complete once the
    /// fault clears, through one probe. A redirect is never followed.
    @Suite struct TransportFaults {
        static let scenario = """
        {"limits": {"ports": 20, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "ringSeconds": 0.2, "talkSeconds": 0.3}}
        """

        static func options() -> DaemonHarness.Options {
            var options = DaemonHarness.Options(scenario: scenario)
            options.config.backoff = ["flow": "\"1s\"", "halt": "\"1s\""]
            options.config.limits = ["max_concurrent_calls": "20", "per_callee_max": "10"]
            options.config.platformTimeout = "1s"
            return options
        }

        static let jobs = (0..<100).map { JobLine.notify("t\($0)", callee: JobLine.callee($0)) }

        @Test(.timeLimit(.minutes(1)), arguments: [ConnectionFault.closeAfterRequest, .hang, .resetOnConnect])
        func aDroppingPlatformCostsAtMostThreeUnknownJobs(_ fault: ConnectionFault) async throws {
            try await DaemonHarness.run(Self.options()) { daemon in
                daemon.simulator.setConnectionFault(fault)
                try daemon.submit(Self.jobs)
                // The fault has been met several times (a lost request, or a reset connection).
                #expect(try await eventually(timeout: .seconds(20)) { daemon.simulator.connectionFaultHits >= 3 })
                if fault != .resetOnConnect {
                    #expect(try await eventually { try daemon.database.activePauses(now: Date())[.transport] != nil })
                }
                let unknownDuringFault = try daemon.counts()[.unknown, default: 0]
                #expect(unknownDuringFault <= 3, "\(daemon.states)")
                daemon.simulator.setConnectionFault(nil)
                // Every job completes but the few left unknown; a request in
                // flight when the fault cleared may still become one, so the
                // count is read once all have settled, not when the fault clears.
                #expect(try await eventually(timeout: .seconds(30)) {
                    let counts = try daemon.counts()
                    return counts[.completed, default: 0] + counts[.unknown, default: 0] == 100
                }, "\(daemon.states)")
                #expect(try daemon.counts()[.unknown, default: 0] <= 3)
                #expect(try daemon.counts()[.failed, default: 0] == 0)
                #expect(try daemon.database.activePauses(now: Date())[.transport] == nil)
            }
        }

        @Test(.timeLimit(.minutes(1)))
        func aRedirectHaltsAndNothingGoesToItsTarget() async throws {
            let target = try await SimulatorFixture.start(scenario: Self.scenario, timeScale: 20)
            do {
                try await DaemonHarness.run(Self.options()) { daemon in
                    let location = "http://127.0.0.1:\(target.port)/rest/httpsessions/callnotify/v2.0"
                    daemon.simulator.setConnectionFault(.redirect(location: location))
                    try daemon.submit(Self.jobs)
                    #expect(try await eventually { try daemon.database.halts().first != nil })
                    let halt = try #require(try daemon.database.halts().first)
                    #expect(halt.code == "http_307")
                    #expect(halt.reason.contains(location))
                    daemon.simulator.setConnectionFault(nil)
                    #expect(try await daemon.waitFor(.completed, count: 100, timeout: .seconds(30)), "\(daemon.states)")
                    #expect(try daemon.database.halts().first == nil)
                }
                #expect(await target.simulator.snapshot().requests.isEmpty)
                #expect(target.simulator.connectionFaultHits == 0)
            } catch {
                try? await target.stop()
                throw error
            }
            try await target.stop()
        }
    }
}
