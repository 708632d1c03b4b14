import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// Restarts lose nothing when the callback port outlives the process:
    /// the built `callspool run` takes the listening socket systemd would
    /// pass (`LISTEN_FDS`), is SIGKILLed three times mid-campaign and started
    /// again on the same socket, as `Restart=` does. The platform's pushes
    /// that arrive while no process runs wait in the socket's backlog and are
    /// answered by the next process: no push is refused, every answered call
    /// keeps its digits (but for a push cut off mid-request by a kill, which
    /// the daemon never answered 200), and nobody is called twice.
    @Suite struct SocketActivation {
        static let jobs = 24
        static let kills = 3
        /// Answered calls of 0.25–0.75 s that collect one digit, at time scale 20.
        static let scenario = """
        {"limits": {"ports": 6, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.5, "feeDelaySeconds": 2, "feeBatchWindowSeconds": 1, "feeRetryIntervalSeconds": 10},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 1, "talkSeconds": {"min": 5, "max": 15}}}
        """

        @Test(.timeLimit(.minutes(2)))
        func pushesDuringARestartWaitInTheBacklogAndKeepTheirDigits() async throws {
            let executable = try ChildDaemon.executable()
            let scratch = try ScratchDirectory("socket-activation")
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
            let socket = try HeldListeningSocket()
            var config = DaemonConfig()
            config.limits = ["max_concurrent_calls": "6", "verify_reserved_ports": "0"]
            let configPath = scratch.path + "/callspool.toml"
            // `listen` names the held socket's port: a daemon that ignored the
            // passed socket and bound it itself would fail (address in use).
            try config.toml(directory: scratch.path, platformPort: platform.port, callbackPort: socket.port, credentials: platform.simulator.credentials)
                .write(toFile: configPath, atomically: true, encoding: .utf8)
            let log = scratch.path + "/daemon.log"
            var daemon = try SocketActivatedDaemon(executable: executable, config: configPath, socket: socket, log: log)
            try scratch.submit((0..<Self.jobs).map { JobLine.notify("s\($0)", callee: JobLine.callee($0)) }, spool: scratch.path + "/spool")
            // The daemon made the store (and took the file in) before the test opens it.
            let processed = scratch.path + "/spool/processed"
            let takenIn = try await eventually(timeout: .seconds(20)) {
                ((try? FileManager.default.contentsOfDirectory(atPath: processed)) ?? []).contains { $0.hasSuffix(".report.json") }
            }
            try #require(takenIn, "the daemon did not take the jobs in:\n\(daemon.logTail)")
            let store = try AppDatabase.open(path: scratch.path + "/store.sqlite")

            for kill in 1...Self.kills {
                // Mid-campaign: calls in progress whose digits and hang-ups are on their way.
                let midway = try await eventually(step: .milliseconds(10)) {
                    let counts = try store.stateCounts()
                    return (counts[.completed] ?? 0) >= 2 * kill && (counts[.inCall] ?? 0) >= 2
                }
                #expect(daemon.isRunning, "the daemon ended (kill \(kill)):\n\(daemon.logTail)")
                try #require(midway, "never caught the campaign mid-flight before kill \(kill): \((try? store.stateCounts()) ?? [:])\n\(daemon.logTail)")
                daemon.stop(SIGKILL)
                // Down for a moment, as between a crash and `Restart=`: pushes queue in the backlog.
                try await Task.sleep(for: .milliseconds(300))
                daemon = try SocketActivatedDaemon(executable: executable, config: configPath, socket: socket, log: log)
            }
            let settled = try await eventually(timeout: .seconds(40)) {
                let counts = try store.stateCounts()
                return (counts[.queued] ?? 0) + (counts[.dispatching] ?? 0) + (counts[.inCall] ?? 0) == 0
            }
            #expect(settled, "not settled: \((try? store.stateCounts()) ?? [:])\n\(daemon.logTail)")
            #expect(daemon.isRunning, "\(daemon.logTail)")

            let snapshot = await platform.simulator.snapshot()
            // No push found the port closed: the backlog held them all.
            let refused = snapshot.deliveries.filter { !$0.succeeded && ($0.error ?? "").localizedCaseInsensitiveContains("refused") }
            #expect(refused.isEmpty, "pushes refused while the daemon restarted: \(refused.count)")
            // Nobody called twice.
            #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "\(snapshot.callsPerCallee)")
            // Every answered call keeps its digit, but for a digit push cut off
            // mid-request by a kill (never answered 200: the platform's view is "failed").
            let cutOff = Set(snapshot.deliveries.filter { $0.eventType == "collectInfo" && !$0.succeeded }.flatMap(\.sessionIds))
            #expect(cutOff.count <= Self.kills * 6, "\(cutOff.count) digit pushes failed")
            var kept = 0
            for index in 0..<Self.jobs {
                let job = try #require(try store.jobDetail(id: "s\(index)"))
                guard job.job.outcome == .answered else { continue }
                if job.job.digits == ["1"] {
                    kept += 1
                } else {
                    let session = job.attempts.compactMap(\.sessionId).last ?? ""
                    #expect(cutOff.contains(session), "s\(index) answered without its digit, and its push was not cut off by a kill: \(job.job.digits)")
                }
            }
            #expect(kept >= Self.jobs - Self.kills * 6, "only \(kept) answered calls kept their digit")
            daemon.stop(SIGTERM)
        }
    }
}
