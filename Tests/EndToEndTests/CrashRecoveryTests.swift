import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// The built `callspool run` is SIGKILLed mid-campaign (calls in progress,
    /// requests awaiting their answer) and started again on the same store and
    /// spool: no job is lost, none is left queued/dispatching/in a call, nobody
    /// is called twice (docs/states.md: jobs left `dispatching` become `unknown` and
    /// are never re-sent), and the calls the platform placed for `unknown` jobs
    /// are reconciled by their callbacks (userData, re-pushed fee CDRs).
    @Suite struct CrashRecovery {
        static let jobs = 30
        /// Calls of 0.3–0.8 s, answers held 0.2 s (so jobs sit in `dispatching`),
        /// CDRs re-pushed every 0.5 s while the daemon is down.
        static let scenario = """
        {"limits": {"ports": 6, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.5, "feeDelaySeconds": 2, "feeBatchWindowSeconds": 1, "feeRetryIntervalSeconds": 10},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 1, "talkSeconds": {"min": 5, "max": 15}, "responseDelaySeconds": 4}}
        """

        @Test(.timeLimit(.minutes(1)))
        func sigkillMidCampaignLosesNoJobAndCallsNobodyTwice() async throws {
            let executable = try ChildDaemon.executable()
            let scratch = try ScratchDirectory("crash")
            defer { scratch.remove() }
            let platform = try await SimulatorFixture.start(scenario: Self.scenario, timeScale: 20)
            do {
                try await run(executable: executable, scratch: scratch, platform: platform)
            } catch {
                try? await platform.stop()
                throw error
            }
            try await platform.stop()
        }

        func run(executable: URL, scratch: ScratchDirectory, platform: SimulatorFixture) async throws {
            let callbackPort = try FreePort.pick()
            var config = DaemonConfig()
            config.limits = ["max_concurrent_calls": "6", "verify_reserved_ports": "0"]
            let configPath = scratch.path + "/callspool.toml"
            try config.toml(directory: scratch.path, platformPort: platform.port, callbackPort: callbackPort, credentials: platform.simulator.credentials)
                .write(toFile: configPath, atomically: true, encoding: .utf8)
            let log = scratch.path + "/daemon.log"

            let first = try ChildDaemon(executable: executable, config: configPath, log: log)
            #expect(try await eventually { isListening(port: callbackPort) }, "the daemon did not start:\n\(first.logTail)")
            let store = try AppDatabase.open(path: scratch.path + "/store.sqlite")
            try scratch.submit((0..<Self.jobs).map { JobLine.notify("c\($0)", callee: JobLine.callee($0)) }, spool: scratch.path + "/spool")

            // Mid-campaign: some calls done, some in progress, and a request the platform
            // accepted still awaiting its answer (the job is `dispatching`, its call placed).
            var awaitingAnswer: [String] = []
            let midway = try await eventually(step: .milliseconds(10)) {
                let counts = try store.stateCounts()
                guard counts[.completed]! >= 3, counts[.inCall]! >= 1, counts[.dispatching]! >= 1 else { return false }
                let placed = await platform.simulator.snapshot().callsPerCallee
                awaitingAnswer = try store.jobs(state: .dispatching, limit: Self.jobs).filter { placed[$0.calleeNbr] != nil }.map(\.jobId)
                return !awaitingAnswer.isEmpty
            }
            first.stop(SIGKILL)
            #expect(midway, "never caught the campaign mid-flight: \((try? store.stateCounts()) ?? [:])\n\(first.logTail)")
            #expect(first.process.terminationReason == .uncaughtSignal)
            let inFlightAtKill = try store.jobs(state: .dispatching, limit: Self.jobs).map(\.jobId)
            let inCallAtKill = try store.jobs(state: .inCall, limit: Self.jobs).map(\.jobId)

            let second = try ChildDaemon(executable: executable, config: configPath, log: log)
            // Settled: nothing queued or in flight, and every job left `unknown` is one whose
            // request the platform never placed (no callback will ever come for it).
            let settled = try await eventually(timeout: .seconds(20)) {
                let counts = try store.stateCounts()
                guard counts[.queued]! + counts[.dispatching]! + counts[.inCall]! == 0 else { return false }
                let placed = await platform.simulator.snapshot().callsPerCallee
                return try store.jobs(state: .unknown, limit: Self.jobs).allSatisfy { placed[$0.calleeNbr] == nil }
            }
            let counts = try store.stateCounts()
            #expect(settled, "not settled: \(counts)\n\(second.logTail)")

            // Every submitted job is accounted for, none left in flight.
            #expect(counts.values.reduce(0, +) == Self.jobs, "\(counts)")
            #expect(counts[.queued] == 0 && counts[.dispatching] == 0 && counts[.inCall] == 0, "\(counts)")
            #expect(counts[.failed] == 0, "\(counts)")
            // Nobody called twice: one callee per job, at most one call each.
            let snapshot = await platform.simulator.snapshot()
            #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "\(snapshot.callsPerCallee)")
            for index in 0..<Self.jobs {
                let job = try #require(try store.jobDetail(id: "c\(index)"))
                let placed = snapshot.callsPerCallee[job.job.calleeNbr] ?? 0
                #expect(job.attempts.filter { $0.sessionId != nil }.count <= 1, "\(job.attempts)")
                if job.job.state == .completed {
                    #expect(placed == 1, "c\(index) completed but the platform placed \(placed) calls")
                    #expect(job.job.outcome == .answered)
                } else {
                    // Only a request the platform never received may stay unknown.
                    #expect(job.job.state == .unknown && placed == 0, "c\(index): \(job.job.state), \(placed) calls")
                }
            }
            // The requests in flight at the kill were not re-sent; those the platform placed were
            // reconciled by their callbacks.
            for id in inFlightAtKill {
                let job = try #require(try store.jobDetail(id: id))
                #expect(job.attempts.count == 1, "\(id) was re-sent: \(job.attempts)")
            }
            for id in awaitingAnswer {
                #expect(try store.jobDetail(id: id)?.job.state == .completed, "\(id) (call placed, answer lost) was not reconciled")
            }
            for id in inCallAtKill {
                #expect(try store.jobDetail(id: id)?.job.state == .completed, "\(id) was in a call at the kill")
            }

            // Graceful stop (docs/operations.md): SIGTERM ends `callspool run` with status 0.
            second.stop(SIGTERM)
            #expect(second.process.terminationReason == .exit, "\(second.logTail)")
            #expect(second.process.terminationStatus == 0, "\(second.logTail)")
        }
    }
}
