import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Synchronization
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// A full disk degrades callspool, never kills it: with the store and the
    /// spool on a small filesystem that fills up mid-campaign, the daemon
    /// stays up, sends nothing while the store cannot be written, answers the
    /// platform's pushes, and when space returns every job reaches a final
    /// state with its digits, nobody called twice, without a restart.
    ///
    /// The filesystem is a tmpfs mounted for the test (CI runs as root).
    @Suite struct FullDisk {
        static let scenario = """
        {"limits": {"ports": 10, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.5, "feeBatchWindowSeconds": 0.1, "feeRetryIntervalSeconds": 1},
         "defaults": {"outcome": "answer", "digits": ["7"], "ringSeconds": 0.5, "talkSeconds": 20}}
        """

        static var canMount: Bool { getuid() == 0 }

        /// Mounts a tmpfs of `megabytes` on `path` (the mount point is removed by `unmount`).
        static func mountSmallFilesystem(at path: String, megabytes: Int) throws {
            try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
        }

        static func unmount(_ path: String) {
            try? run("/bin/umount", ["-l", path])
            try? FileManager.default.removeItem(atPath: path)
        }

        static func run(_ tool: String, _ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ToolFailed(tool: tool, status: process.terminationStatus) }
        }

        struct ToolFailed: Error { var tool: String; var status: Int32 }

        /// Fills the filesystem of `directory` until writes fail with ENOSPC.
        static func fill(_ directory: String) -> String {
            let filler = directory + "/filler"
            guard let handle = FileHandle(forWritingAtPath: filler) ?? {
                _ = FileManager.default.createFile(atPath: filler, contents: nil)
                return FileHandle(forWritingAtPath: filler)
            }() else { return filler }
            let chunk = Data(count: 64 << 10)
            while (try? handle.write(contentsOf: chunk)) != nil {}
            let small = Data(count: 512)
            while (try? handle.write(contentsOf: small)) != nil {}
            try? handle.close()
            return filler
        }

        /// Process-level reproduction of the field report, run against the
        /// built `callspool run` (or `$CALLSPOOL_BINARY`, e.g. an older
        /// build): the store's write-ahead log is emptied and then the disk
        /// filled to the last byte, so every write the daemon makes (its
        /// heartbeat first) fails with SQLITE_FULL. A daemon that ends a
        /// service on that exits here; callspool must stay up, answer the
        /// pushes of the calls that end meanwhile, send nothing, and finish
        /// everything once space returns, in the same process.
        @Test(.enabled(if: canMount, "needs root to mount a small tmpfs"), .timeLimit(.minutes(2)))
        func theDaemonSurvivesAStoreWhoseEveryWriteFails() async throws {
            let executable = try ChildDaemon.executable()
            let scratch = try ScratchDirectory("fulldisk")
            defer { scratch.remove() }
            let disk = scratch.path + "/disk"
            try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
            // Larger than the default store.min_free (64 MiB), so the daemon starts unpaused.
            try Self.mountSmallFilesystem(at: disk, megabytes: 96)
            defer { Self.unmount(disk) }
            let platform = try await SimulatorFixture.start(scenario: Self.longCalls, timeScale: 10)
            do {
                try await surviveFullDisk(executable: executable, scratch: scratch, disk: disk, platform: platform)
            } catch {
                try? await platform.stop()
                throw error
            }
            try await platform.stop()
        }

        /// Calls of 40 simulated seconds (4 s real): the disk fills while they are in progress.
        static let longCalls = """
        {"limits": {"ports": 10, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.5, "feeBatchWindowSeconds": 0.1, "feeRetryIntervalSeconds": 1},
         "defaults": {"outcome": "answer", "digits": ["7"], "ringSeconds": 0.5, "talkSeconds": 40}}
        """

        func surviveFullDisk(executable: URL, scratch: ScratchDirectory, disk: String, platform: SimulatorFixture) async throws {
            let callbackPort = try FreePort.pick()
            var config = DaemonConfig()
            config.limits = ["max_concurrent_calls": "8", "verify_reserved_ports": "0"]
            let configPath = scratch.path + "/callspool.toml"
            try config.toml(directory: disk, platformPort: platform.port, callbackPort: callbackPort, credentials: platform.simulator.credentials)
                .write(toFile: configPath, atomically: true, encoding: .utf8)
            let log = scratch.path + "/daemon.log"
            let daemon = try ChildDaemon(executable: executable, config: configPath, log: log)
            #expect(try await eventually { isListening(port: callbackPort) }, "the daemon did not start:\n\(daemon.logTail)")
            let storePath = disk + "/store.sqlite"
            let store = try AppDatabase.open(path: storePath, readonly: true)
            try scratch.submit((0..<16).map { JobLine.notify("f\($0)", callee: JobLine.callee($0)) }, spool: disk + "/spool")
            #expect(try await eventually { try store.stateCounts()[.inCall, default: 0] >= 6 }, "\(daemon.logTail)")

            // Empty the write-ahead log (so no write can reuse its frames), then fill the disk.
            let writer = try AppDatabase.open(path: storePath)
            #expect(try await eventually { try writer.checkpointTruncatingWAL() }, "the WAL could not be emptied")
            let filler = Self.fill(disk)
            let deliveriesBefore = await platform.simulator.snapshot().deliveries.count
            let requestsBefore = await platform.simulator.snapshot().requests.count

            // The calls in progress end while the disk is full: the daemon is still
            // there to answer their pushes (503: the store cannot take them yet).
            let answered = try await eventually(timeout: .seconds(30)) {
                guard daemon.process.isRunning else { return true }
                let late = await platform.simulator.snapshot().deliveries.dropFirst(deliveriesBefore)
                return late.filter { $0.eventType == "disconnect" && $0.httpStatus == 503 }.count >= 6
            }
            #expect(daemon.process.isRunning, "the daemon exited on a full disk:\n\(daemon.logTail)")
            #expect(answered, "pushes during the full disk were not answered 503:\n\(daemon.logTail)")
            try #require(daemon.process.isRunning)
            let log1 = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(log1.contains("the store cannot be written"), "no storage halt logged:\n\(daemon.logTail)")
            #expect(await platform.simulator.snapshot().requests.count == requestsBefore, "a request was sent while the store could not be written")
            // `status` tells the operator, although the daemon could not record its pause.
            let status = try CLIMannersTests.callspool(["status", "--json", "--config", configPath])
            #expect(status.status == 0, "stderr: \(status.stderr) stdout: \(status.stdout)")
            let view = try JSONDecoder().decode(StatusView.self, from: Data(status.stdout.utf8))
            #expect(view.daemon.running)
            #expect(view.pauses.contains { $0.scope == "storage" && $0.reason.contains("store.min_free") }, "\(view.pauses)")

            // Space is back: everything finishes in the same process, digits included.
            try FileManager.default.removeItem(atPath: filler)
            let finished = try await eventually(timeout: .seconds(60)) { try store.stateCounts()[.completed, default: 0] == 16 }
            #expect(finished, "\((try? store.stateCounts()) ?? [:])\n\(daemon.logTail)")
            #expect(daemon.process.isRunning, "\(daemon.logTail)")
            for index in 0..<16 {
                let job = try #require(try store.jobDetail(id: "f\(index)")).job
                #expect(job.digits == ["7"], "f\(index): digits \(job.digits)")
            }
            let snapshot = await platform.simulator.snapshot()
            #expect(snapshot.callsPerCallee.count == 16 && snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "\(snapshot.callsPerCallee)")
            daemon.stop(SIGTERM)
            #expect(daemon.process.terminationStatus == 0, "\(daemon.logTail)")
        }

        @Test(.enabled(if: canMount, "needs root to mount a small tmpfs"), .timeLimit(.minutes(2)))
        func aFullDiskPausesWorkKeepsTheDaemonUpAndEverythingResumesWhenSpaceReturns() async throws {
            let mountPoint = Mutex<String?>(nil)
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.timeScale = 10
            options.config.limits = ["max_concurrent_calls": "8", "verify_reserved_ports": "0"]
            options.config.store = ["min_free": "\"256KiB\""]
            options.prepareDirectory = { path in
                try Self.mountSmallFilesystem(at: path, megabytes: 24)
                mountPoint.withLock { $0 = path }
            }
            defer { if let path = mountPoint.withLock({ $0 }) { Self.unmount(path) } }
            let jobs = (0..<16).map { JobLine.notify("d\($0)", callee: JobLine.callee($0)) }
            try await DaemonHarness.run(options) { daemon in
                let directory = try #require(mountPoint.withLock { $0 })
                // 8 calls in progress when the disk fills up, 8 jobs waiting for a port.
                try daemon.submit(jobs)
                #expect(try await eventually { try daemon.counts()[.inCall, default: 0] >= 6 })
                let filler = Self.fill(directory)
                #expect(try await eventually(timeout: .seconds(15)) { daemon.parts.storage.pausesWork }, "storage trouble never noticed")
                let sentWhileFull = await daemon.simulator.snapshot().requests.count
                // The calls in progress end and their pushes are answered meanwhile.
                #expect(try await eventually(timeout: .seconds(20)) { await daemon.simulator.snapshot().completedCalls >= 4 })
                #expect(await daemon.simulator.snapshot().requests.count == sentWhileFull, "a request was sent while the store could not be written")
                try FileManager.default.removeItem(atPath: filler)
                // Space is back: everything finishes, no restart.
                #expect(try await daemon.waitFor(.completed, count: 16, timeout: .seconds(60)), "\(daemon.states)")
                #expect(!daemon.parts.storage.pausesWork)
                for index in 0..<16 {
                    let job = try daemon.job("d\(index)").job
                    #expect(job.digits == ["7"], "d\(index): digits \(job.digits)")
                }
                let snapshot = await daemon.simulator.snapshot()
                #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "somebody was called twice: \(snapshot.callsPerCallee)")
            }
        }
    }
}
