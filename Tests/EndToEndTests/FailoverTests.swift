import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
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
            _ name: String, url: String, receiverPort: Int, callbackPort: Int, scratch: ScratchDirectory, platform: SimulatorFixture, executable: URL,
            displayNumbers: [String]? = nil
        ) throws -> Instance {
            let directory = scratch.path + "/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var config = DaemonConfig()
            config.limits = ["max_concurrent_calls": "6", "verify_reserved_ports": "1"]
            config.store = ["url": "\"\(url)\"", "lease": "\"2s\""]
            config.instance = name
            config.resultsDir = directory + "/results"
            if let displayNumbers { config.displayNumbers = displayNumbers }
            // Pushes go to one receiver, as through a load balancer.
            config.callbackURLPort = receiverPort
            let path = directory + "/callspool.toml"
            try config.toml(directory: directory, platformPort: platform.port, callbackPort: callbackPort, credentials: platform.simulator.credentials)
                .write(toFile: path, atomically: true, encoding: .utf8)
            let daemon = try ChildDaemon(executable: executable, config: path, log: directory + "/daemon.log")
            return Instance(name: name, directory: directory, callbackPort: callbackPort, config: path, daemon: daemon)
        }

        /// Waits until every job finished, or is `unknown` because its
        /// request never reached the platform (then nothing reconciles it);
        /// returns whether they did and the count per state.
        static func settle(_ ids: [String], store: PostgresStore, platform: SimulatorFixture) async throws -> (Bool, [String: Int]) {
            let settled = try await eventually(timeout: .seconds(90)) {
                let called = await platform.simulator.snapshot().callsPerCallee
                return try ids.allSatisfy { id in
                    guard let job = try store.jobDetail(id: id)?.job else { return false }
                    return job.state.isTerminal || (job.state == .unknown && called[job.calleeNbr] == nil)
                }
            }
            let states = try Dictionary(grouping: ids) { try store.jobDetail(id: $0)?.job.state.rawValue ?? "missing" }.mapValues(\.count)
            return (settled, states)
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
            let (settled, states) = try await Self.settle(ids, store: store, platform: platform)
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
            // Results files land on the instance that took the job in: b's
            // directory gets the codes taken in by b and none of the campaign
            // a took in (a has been dead for less than the 10 minutes after
            // which another instance writes its files).
            let codeFiles = Set(codes.indices.map { ResultFileName.forJob(id: "v\($0)") })
            let inB = { Set(((try? FileManager.default.contentsOfDirectory(atPath: b.directory + "/results")) ?? []).filter { !$0.hasPrefix(".") }) }
            #expect(try await eventually(timeout: .seconds(10)) { inB() == codeFiles }, "\(inB())")
            // `status` from b names b as the dispatcher.
            let status = try CLIMannersTests.callspool(["status", "--json", "--config", b.config])
            let view = try JSONDecoder().decode(StatusView.self, from: Data(status.stdout.utf8))
            #expect(view.leader?.name == "b", "\(status.stdout) \(status.stderr)")
            #expect(Set(view.instances?.map(\.name) ?? []) == ["a", "b"])
            print("failover: takeover \(takeover) after SIGKILL (lease 2 s); states \(states)")
            b.daemon.stop(SIGTERM)
            #expect(b.daemon.process.terminationStatus == 0, "\(b.daemon.logTail)")
        }
    
        /// The dispatcher's connection to the database runs through a proxy
        /// that then drops every byte (a partition: no reset, no close). The
        /// other instance takes over once the lease expired on the database's
        /// clock, and the cut-off dispatcher sends nothing after that: its
        /// own clock stopped it first. Each instance has its own display
        /// number, so the simulator's request log tells who sent what.
        @Test(.timeLimit(.minutes(3)))
        func aCutOffDispatcherSendsNothingOnceAnotherTakesOver() async throws {
            let executable = try ChildDaemon.executable()
            let cluster = try #require(PostgresCluster.shared)
            let url = try cluster.makeDatabase()
            let database = String(url.split(separator: "/").last ?? "")
            let proxy = try BlackholeProxy(to: cluster.port)
            let scratch = try ScratchDirectory("partition")
            defer { scratch.remove() }
            let platform = try await SimulatorFixture.start(scenario: Self.scenario, timeScale: 10)
            do {
                try await partition(
                    url: url, proxied: "postgresql://callspool@127.0.0.1:\(proxy.port)/\(database)", proxy: proxy, scratch: scratch, platform: platform,
                    executable: executable)
            } catch {
                try? await platform.stop()
                throw error
            }
            try await platform.stop()
        }

        func partition(url: String, proxied: String, proxy: BlackholeProxy, scratch: ScratchDirectory, platform: SimulatorFixture, executable: URL) async throws {
            let portA = try FreePort.pick(), portB = try FreePort.pick()
            let numberA = "+8675528000088", numberB = "+8675528000089"
            let a = try Self.start(
                "a", url: proxied, receiverPort: portB, callbackPort: portA, scratch: scratch, platform: platform, executable: executable, displayNumbers: [numberA])
            let store = try await PostgresStore.openReadOnlyWhenMigrated(PostgresStore.Settings(url: url, instance: "test"))
            defer { store.close() }
            #expect(try await eventually(timeout: .seconds(30)) { try store.dispatcherLease()?.holder == "a" }, "a never took the lease:\n\(a.daemon.logTail)")
            let b = try Self.start(
                "b", url: url, receiverPort: portB, callbackPort: portB, scratch: scratch, platform: platform, executable: executable, displayNumbers: [numberB])
            #expect(try await eventually(timeout: .seconds(30)) { isListening(port: portB) }, "b did not start:\n\(b.daemon.logTail)")
            let campaign = (0..<24).map { JobLine.notify("p\($0)", callee: JobLine.callee($0)) }
            try scratch.submit(campaign, spool: a.directory + "/spool")
            #expect(try await eventually(timeout: .seconds(30)) { await platform.simulator.snapshot().requests.count >= 6 }, "\(a.daemon.logTail)")

            proxy.blackhole()
            let cut = ContinuousClock.now
            let tookOver = try await eventually(timeout: .seconds(30), step: .milliseconds(10)) { try store.dispatcherLease()?.holder == "b" }
            let sentBeforeTakeover = await platform.simulator.snapshot().requests.count
            let takeover = ContinuousClock.now - cut
            #expect(tookOver, "b never took over:\n\(b.daemon.logTail)")

            let ids = campaign.indices.map { "p\($0)" }
            let (settled, states) = try await Self.settle(ids, store: store, platform: platform)
            #expect(settled, "\(states)\n\(b.daemon.logTail)")
            let requests = await platform.simulator.snapshot().requests
            let late = requests.dropFirst(sentBeforeTakeover).filter { $0.displayNbr == numberA }
            #expect(late.isEmpty, "the cut-off dispatcher sent after the takeover: \(late.map(\.calleeNbr))")
            if let firstOfB = requests.firstIndex(where: { $0.displayNbr == numberB }) {
                #expect(!requests[firstOfB...].contains { $0.displayNbr == numberA }, "a request of a after b's first")
            }
            #expect(requests.contains { $0.displayNbr == numberB }, "b sent nothing")
            let snapshot = await platform.simulator.snapshot()
            #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "somebody was called twice: \(snapshot.callsPerCallee)")
            #expect(a.daemon.process.isRunning, "the cut-off instance exited:\n\(a.daemon.logTail)")
            // Its statements get no answer: a storage halt, as a full disk would be.
            let log = a.directory + "/daemon.log"
            #expect(
                try await eventually(timeout: .seconds(30)) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("PostgreSQL store unavailable") },
                "the cut-off instance is not in a storage halt:\n\(a.daemon.logTail)")
            print("partition: takeover \(takeover) after the cut (lease 2 s); states \(states)")
            a.daemon.stop(SIGKILL)
            b.daemon.stop(SIGTERM)
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
