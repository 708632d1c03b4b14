import CallSpool
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
                FileManager.default.createFile(atPath: filler, contents: nil)
                return FileHandle(forWritingAtPath: filler)
            }() else { return filler }
            let chunk = Data(count: 64 << 10)
            while (try? handle.write(contentsOf: chunk)) != nil {}
            let small = Data(count: 512)
            while (try? handle.write(contentsOf: small)) != nil {}
            try? handle.close()
            return filler
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
                    #expect(job.digitList == ["7"], "d\(index): digits \(job.digitList)")
                }
                let snapshot = await daemon.simulator.snapshot()
                #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "somebody was called twice: \(snapshot.callsPerCallee)")
            }
        }
    }
}
