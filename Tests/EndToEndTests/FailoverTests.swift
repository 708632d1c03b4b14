import CallSpool
import CallSpoolCLI
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// Two `callspool run` processes on one PostgreSQL store: the
    /// dispatcher is SIGKILLed mid-campaign while login codes arrive at the
    /// other; the other takes over, finishes the campaign and sends the
    /// codes, and nobody is called twice.
    @Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
    struct Failover {
        static let scenario = """
        {"limits": {"ports": 10, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.5, "feeBatchWindowSeconds": 0.1, "feeRetryIntervalSeconds": 1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.5, "talkSeconds": 8}}
        """

        /// One instance: its directory (spool), callback port and daemon.
        struct Instance {
            var name: String
            var directory: String
            var callbackPort: Int
            var config: String
            var daemon: ChildDaemon
        }

        static func start(
            _ name: String, url: String, receiverPort: Int, callbackPort: Int, scratch: ScratchDirectory, platform: SimulatorFixture, executable: URL
        ) throws -> Instance {
            let directory = scratch.path + "/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var config = DaemonConfig()
            config.limits = ["max_concurrent_calls": "6", "verify_reserved_ports": "1"]
            config.store = ["url": "\"\(url)\"", "lease": "\"2s\""]
            config.instance = name
            // Pushes go to one receiver, as through a load balancer.
            config.callbackURLPort = receiverPort
            let path = directory + "/callspool.toml"
            try config.toml(directory: directory, platformPort: platform.port, callbackPort: callbackPort, credentials: platform.simulator.credentials)
                .write(toFile: path, atomically: true, encoding: .utf8)
            let daemon = try ChildDaemon(executable: executable, config: path, log: directory + "/daemon.log")
            return Instance(name: name, directory: directory, callbackPort: callbackPort, config: path, daemon: daemon)
        }

        @Test(.timeLimit(.minutes(3)))
        func theOtherInstanceTakesOverAndNobodyIsCalledTwice() async throws {
            let executable = try ChildDaemon.executable()
            let cluster = try #require(PostgresCluster.shared)
            let url = try cluster.makeDatabase()
            let scratch = try ScratchDirectory("failover")
            defer { scratch.remove() }
            let platform = try await SimulatorFixture.start(scenario: Self.scenario, timeScale: 10)
            do {
                try await failOver(url: url, scratch: scratch, platform: platform, executable: executable)
            } catch {
                try? await platform.stop()
                throw error
            }
            try await platform.stop()
        }

        func failOver(url: String, scratch: ScratchDirectory, platform: SimulatorFixture, executable: URL) async throws {
            let portA = try FreePort.pick(), portB = try FreePort.pick()
            let a = try Self.start("a", url: url, receiverPort: portB, callbackPort: portA, scratch: scratch, platform: platform, executable: executable)
            let store = try await PostgresStore.openReadOnlyWhenMigrated(PostgresStore.Settings(url: url, instance: "test"))
            defer { store.close() }
            #expect(try await eventually(timeout: .seconds(30)) { try store.dispatcherLease()?.holder == "a" }, "a never took the lease:\n\(a.daemon.logTail)")
            let b = try Self.start("b", url: url, receiverPort: portB, callbackPort: portB, scratch: scratch, platform: platform, executable: executable)
            #expect(try await eventually(timeout: .seconds(30)) { isListening(port: portB) }, "b did not start:\n\(b.daemon.logTail)")

            // A campaign through a's spool; a dispatches it.
            let campaign = (0..<24).map { JobLine.notify("c\($0)", callee: JobLine.callee($0)) }
            try scratch.submit(campaign, spool: a.directory + "/spool")
            #expect(try await eventually(timeout: .seconds(30)) { await platform.simulator.snapshot().requests.count >= 8 }, "\(a.daemon.logTail)")

            // The dispatcher dies mid-campaign; login codes arrive at b.
            let killed = ContinuousClock.now
            a.daemon.stop(SIGKILL)
            let codes = (0..<4).map { JobLine.verify("v\($0)", callee: JobLine.callee($0, prefix: "+86139")) }
            try scratch.submit(codes, spool: b.directory + "/spool")
            let tookOver = try await eventually(timeout: .seconds(30), step: .milliseconds(20)) { try store.dispatcherLease()?.holder == "b" }
            let takeover = ContinuousClock.now - killed
            #expect(tookOver, "b never took over:\n\(b.daemon.logTail)")
            #expect(takeover < .seconds(2 + 3), "takeover took \(takeover) with a 2 s lease")
            #expect(try store.dispatcherLease()?.epoch ?? 0 >= 2)

            // Everything reaches its end; a request a left unanswered is `unknown`
            // (reconciled by its callbacks when its call happened), never re-sent.
            let ids = campaign.indices.map { "c\($0)" } + codes.indices.map { "v\($0)" }
            let settled = try await eventually(timeout: .seconds(90)) {
                try ids.allSatisfy { id in
                    guard let state = try store.jobDetail(id: id)?.job.state else { return false }
                    return state.isTerminal || state == .unknown
                }
            }
            let states = try Dictionary(grouping: ids) { try store.jobDetail(id: $0)?.job.state.rawValue ?? "missing" }.mapValues(\.count)
            #expect(settled, "\(states)\n\(b.daemon.logTail)")
            let snapshot = await platform.simulator.snapshot()
            #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "somebody was called twice: \(snapshot.callsPerCallee)")
            for id in codes.indices.map({ "v\($0)" }) {
                #expect(try store.jobDetail(id: id)?.job.state == .completed, "\(id) \(states)")
            }
            for id in ids {
                let job = try #require(try store.jobDetail(id: id)).job
                if job.state == .unknown {
                    #expect(snapshot.callsPerCallee[job.calleeNbr] == nil, "\(id) is unknown although its call took place")
                } else {
                    // Reminders collect the key pressed; a code is only played.
                    #expect(job.state == .completed && job.digits == (job.type == .notify ? ["1"] : []), "\(id): \(job.state) \(job.digits)")
                }
            }
            // `status` from b names b as the dispatcher.
            let status = try CLIMannersTests.callspool(["status", "--json", "--config", b.config])
            let view = try JSONDecoder().decode(StatusView.self, from: Data(status.stdout.utf8))
            #expect(view.leader?.name == "b", "\(status.stdout) \(status.stderr)")
            #expect(Set(view.instances?.map(\.name) ?? []) == ["a", "b"])
            print("failover: takeover \(takeover) after SIGKILL (lease 2 s); states \(states)")
            b.daemon.stop(SIGTERM)
            #expect(b.daemon.process.terminationStatus == 0, "\(b.daemon.logTail)")
        }
    }
}

extension PostgresStore {
    /// Opens read-only once the daemon has migrated the database (tests start it first).
    static func openReadOnlyWhenMigrated(_ settings: Settings) async throws -> PostgresStore {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                return try openReadOnly(settings)
            } catch PostgresStoreError.outdated where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
