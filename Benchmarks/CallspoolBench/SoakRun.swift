import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import VoiceCallAPI
import VoiceCallSimulator

/// `callspool-bench soak SECONDS [SEED]`: the release `callspool run` against
/// the simulator for SECONDS with a seeded mix of faults, then an
/// independent check of the promises (``SoakChecker``).
///
/// Faults: SIGKILL and SIGTERM at random instants, the daemon started again
/// after up to half a second on the same store and the same held callback
/// socket (as `callspool.socket` and `Restart=` do); callees whose answers
/// are slow or lost (the connection closed after the request), whose
/// digits come before the answer, whose CDRs come twice, whose hang-up
/// never comes; busy and unanswered callees. Exits non-zero on any
/// violation and prints the seed, so a failure can be replayed.
enum SoakRun {
    struct Plan {
        var seconds: Double
        var seed: UInt64
        var jobsPerFile = 6
        var fileInterval = 0.4
        /// The dispatcher lease on PostgreSQL, seconds.
        var lease = 3.0
        var meanRestartInterval: Double { max(4, seconds / 8) }
        var meanFullDiskInterval: Double { max(20, seconds / 5) }
        /// Several instances: a fault every SECONDS/16 on average (at least 4 s).
        var meanFaultIntervalSeveral: Double { max(4, seconds / 16) }
    }

    /// One job the harness submitted, and what its callee does.
    struct Submitted: Codable {
        var id: String
        var callee: String
        var verifyCode: String?
        var profile: String
    }

    /// One `callspool run` process: its own directory (spool), configuration
    /// and callback socket, held across its restarts.
    struct Instance {
        var name: String
        var config: String
        var socket: HeldListeningSocket
        var layout: SpoolLayout
        var log: String
        var pid: pid_t = 0

        var arguments: [String] { ["run", "--config", config, "--log-level", "warning"] }
    }

    /// The store the instances share: one SQLite file (one instance), or a
    /// fresh PostgreSQL database (two or three instances, a dispatcher lease).
    enum Backend {
        case sqlite(path: String)
        case postgres(url: String, restart: String?)
    }

    static func run(_ plan: Plan) async throws -> Int32 {
        var random = SeededRandom(seed: plan.seed)
        // The release daemon beside this benchmark, or $CALLSPOOL_BINARY (an older build, or one with a fault put in).
        let executable = try callspoolBinary()
        let capacity = Int(plan.seconds / plan.fileInterval + 2) * plan.jobsPerFile
        var jobs: [Submitted] = []
        var callees: [String: String] = [:]
        for index in 0..<capacity {
            let digits = String(index)
            let callee = "+86137" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
            let (name, profile) = Self.profile(&random)
            callees[callee] = profile
            let verify = random.next() % 8 == 0
            let code = verify ? String(format: "%08d", Int(random.next() % 90_000_000) + 10_000_000) : nil
            jobs.append(Submitted(id: (verify ? "v" : "n") + "\(index)", callee: callee, verifyCode: code, profile: name))
        }
        let scenarioText = """
            {"limits": {"ports": 8, "requestsPerSecond": 0},
             "timing": {"calloutSeconds": 0.5, "feeDelaySeconds": 2, "feeBatchWindowSeconds": 1, "feeRetryIntervalSeconds": 4},
             "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 1, "talkSeconds": {"min": 4, "max": 12}},
             "callees": {\(callees.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ","))}}
            """
        let scenario = try JSONDecoder().decode(SimulatorScenario.self, from: Data(scenarioText.utf8))
        var quiet = Logger(label: "soak")
        quiet.logLevel = .error
        let backend: Backend
        if let url = try benchStoreURL() {
            let restart = ProcessInfo.processInfo.environment["CALLSPOOL_SOAK_PG_RESTART"].flatMap { $0.isEmpty ? nil : $0 }
            backend = .postgres(url: url, restart: restart)
        } else {
            backend = .sqlite(path: "")
        }
        let platform = try await SimulatorRun.start(scenario: scenario, timeScale: 20, logger: quiet, keepRequests: true)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-soak-\(plan.seed)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // A full disk for a while (SQLite): the store and spool on a small
        // tmpfs of their own, filled and emptied again. Mounting needs root
        // (CI runs as root); otherwise, or with CALLSPOOL_SOAK_FULL_DISK=0,
        // this fault is left out.
        var disk: SmallDisk?
        if case .sqlite = backend, getuid() == 0, ProcessInfo.processInfo.environment["CALLSPOOL_SOAK_FULL_DISK"] != "0" {
            disk = try SmallDisk(mountingAt: root, megabytes: 512)
        }
        // CALLSPOOL_SOAK_KEEP=1: the run's files (store, spools, the
        // evidence for `soak-check`, the tmpfs) stay, even without a violation.
        var keepFiles = ProcessInfo.processInfo.environment["CALLSPOOL_SOAK_KEEP"] == "1"
        defer { if !keepFiles { disk?.unmount() } }
        let credentials = platform.simulator.credentials
        var names = ["a"]
        if case .postgres = backend {
            let count = Int(ProcessInfo.processInfo.environment["CALLSPOOL_SOAK_INSTANCES"] ?? "") ?? 2
            names = Array(["a", "b", "c"].prefix(min(3, max(2, count))))
        }
        var instances: [Instance] = []
        for name in names {
            let socket = try HeldListeningSocket()
            let directory = names.count == 1 ? root : root + "/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let store: String
            switch backend {
            case .sqlite: store = #"path = "\#(root)/store.sqlite""#
            case .postgres(let url, _): store = "url = \"\(url)\"\nlease = \"\(Int(plan.lease))s\"\n[instance]\nname = \"\(name)\""
            }
            let config = directory + "/callspool.toml"
            try """
                [platform]
                base_url = "\(platform.baseURL)"
                app_key = "\(credentials.appKey)"
                app_secret = "\(credentials.appSecret)"
                timeout = "3s"
                [spool]
                dir = "\(directory)/spool"
                settle = "0s"
                [store]
                \(store)
                [callbacks]
                listen = "127.0.0.1:\(socket.port)"
                status_url = "http://127.0.0.1:\(socket.port)/cb/status"
                fee_url = "http://127.0.0.1:\(socket.port)/cb/fee"
                [limits]
                max_concurrent_calls = 8
                verify_reserved_ports = 1
                requests_per_second = 200
                per_display_number_per_minute = 100000
                call_lease = "30s"
                [backoff]
                ports = "2s"
                flow = "2s"
                halt = "5s"
                [defaults]
                display_numbers = ["+8675528000088", "+8675528000089"]
                window = "always"
                [metrics]
                listen = "127.0.0.1:0"
                [guard]
                verify_per_callee = "off"
                verify_per_prefix = "off"
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let layout = SpoolLayout(root: directory + "/spool")
            try layout.ensureExists()
            instances.append(Instance(name: name, config: config, socket: socket, layout: layout, log: directory + "/daemon.log"))
        }
        func launch(_ index: Int) throws {
            instances[index].pid = try SocketActivatedLaunch.spawn(
                executable: executable.path, arguments: instances[index].arguments, socket: instances[index].socket, log: instances[index].log)
        }
        for index in instances.indices { try launch(index) }

        // On PostgreSQL, an observer notes every dispatcher term (epoch,
        // holder, start on the database's clock) for the checker.
        var watcher: LeaseWatcher?
        if case .postgres(let url, _) = backend {
            let settings = try PostgresStore.Settings(url: url, instance: "soak-checker")
            let store = try PostgresStore.openReadOnlyWhenReady(settings)
            let observer = LeaseWatcher(settings: settings, store: store)
            observer.start()
            watcher = observer
        }

        var faults = SoakFaults()
        let start = ContinuousClock.now
        var nextFile = 0.0
        let meanFaultInterval: Double
        if case .postgres = backend { meanFaultInterval = plan.meanFaultIntervalSeveral } else { meanFaultInterval = plan.meanRestartInterval }
        var nextRestart = random.exponential(mean: meanFaultInterval)
        var submitted = 0
        var files = 0
        var frozen: (index: Int, until: Double)?
        // The full disk has its own draws, so the other faults of a seed stay
        // what they were without it.
        var diskRandom = SeededRandom(seed: plan.seed ^ 0x6469_736b)
        var nextFill = diskRandom.exponential(mean: plan.meanFullDiskInterval)
        var fullUntil: Double?
        var deferredFiles = 0
        while (ContinuousClock.now - start).timeInterval < plan.seconds {
            let now = (ContinuousClock.now - start).timeInterval
            if now >= nextFile, submitted < jobs.count {
                let batch = jobs[submitted..<min(jobs.count, submitted + plan.jobsPerFile)]
                do {
                    try Self.submit(Array(batch), layout: instances[files % instances.count].layout, name: "f\(submitted).jsonl")
                    submitted += batch.count
                    files += 1
                    nextFile += plan.fileInterval
                } catch where fullUntil != nil {
                    deferredFiles += 1  // the disk is full for the producer too: again at the next tick
                }
            }
            for index in instances.indices where frozen?.index != index {
                // Restart=always: an instance that ended by itself is started again.
                var status: Int32 = 0
                if waitpid(instances[index].pid, &status, WNOHANG) == instances[index].pid {
                    faults.exits.append(String(format: "%@ at %.1f s (status %d)", instances[index].name, now, status))
                    try launch(index)
                }
            }
            if let disk {
                if let until = fullUntil, now >= until {
                    disk.empty()
                    fullUntil = nil
                    nextFill = now + diskRandom.exponential(mean: plan.meanFullDiskInterval)
                } else if fullUntil == nil, now >= nextFill {
                    disk.fill()
                    faults.fullDisks += 1
                    fullUntil = now + 3 + Double(diskRandom.next() % 700) / 100
                }
            }
            if let thaw = frozen, now >= thaw.until {
                kill(instances[thaw.index].pid, SIGCONT)
                frozen = nil
                nextRestart = now + random.exponential(mean: meanFaultInterval)
            }
            if frozen == nil, now >= nextRestart {
                switch backend {
                case .sqlite:
                    let signal = random.next() % 3 == 0 ? SIGTERM : SIGKILL
                    try await Self.restart(&instances[0], signal: signal, faults: &faults, random: &random, executable: executable.path)
                    nextRestart = now + random.exponential(mean: meanFaultInterval)
                case .postgres(_, let restartCommand):
                    let draw = random.next() % 10
                    if draw < 5 {
                        let index = Int(random.next() % UInt64(instances.count))
                        let signal = draw < 3 ? SIGKILL : SIGTERM
                        try await Self.restart(&instances[index], signal: signal, faults: &faults, random: &random, executable: executable.path)
                        nextRestart = now + random.exponential(mean: meanFaultInterval)
                    } else if draw < 8 || restartCommand == nil {
                        // Freeze the dispatcher for longer than its lease.
                        let holder = watcher?.latest?.holder
                        let index = instances.firstIndex { $0.name == holder } ?? 0
                        let seconds = plan.lease * (1.5 + Double(random.next() % 100) / 100)
                        kill(instances[index].pid, SIGSTOP)
                        faults.freezes += 1
                        faults.frozen.append("\(instances[index].name) \(String(format: "%.1f", seconds)) s")
                        frozen = (index, now + seconds)
                    } else if let command = restartCommand {
                        try Self.restartDatabase(command)
                        faults.databaseRestarts += 1
                        nextRestart = now + random.exponential(mean: meanFaultInterval)
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        if let thaw = frozen { kill(instances[thaw.index].pid, SIGCONT) }
        disk?.empty()
        // Settle: intake done, nothing queued, sent or in a call.
        let store: any CallStore
        switch backend {
        case .sqlite: store = try AppDatabase.open(path: root + "/store.sqlite")
        case .postgres(let url, _): store = try PostgresStore.openReadOnly(PostgresStore.Settings(url: url, instance: "soak-checker"))
        }
        // A backlog left by the faults (offered load is close to the 8 ports'
        // capacity) drains for as long as it keeps shrinking: the harness
        // gives up after 90 s without progress.
        var settleDeadline = ContinuousClock.now + .seconds(90)
        var fewestOpen = Int.max
        while ContinuousClock.now < settleDeadline {
            let counts = (try? store.stateCounts()) ?? [:]
            let open = (counts[.queued] ?? 0) + (counts[.dispatching] ?? 0) + (counts[.inCall] ?? 0)
            let pending = instances.map { ((try? FileManager.default.contentsOfDirectory(atPath: $0.layout.incoming))?.count ?? 0) }.reduce(0, +)
            if open == 0, pending == 0, counts.values.reduce(0, +) >= submitted { break }
            if open + pending < fewestOpen {
                fewestOpen = open + pending
                settleDeadline = ContinuousClock.now + .seconds(90)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        for instance in instances {
            kill(instance.pid, SIGTERM)
            var status: Int32 = 0
            waitpid(instance.pid, &status, 0)
        }
        let terms = watcher?.stop() ?? []
        let snapshot = await platform.simulator.snapshot()
        let requests = platform.arrivals.keptRequests
        await platform.stop()
        var lease: SoakChecker.LeaseEvidence?
        if case .postgres(let url, _) = backend {
            lease = SoakChecker.LeaseEvidence(terms: terms, epochs: try Self.attemptEpochs(url: url), lease: plan.lease)
        }
        // What only this process saw, written before the check so that it
        // can be checked again: `callspool-bench soak-check ROOT`.
        let storeLocation: String
        switch backend {
        case .sqlite: storeLocation = root + "/store.sqlite"
        case .postgres(let url, _): storeLocation = url
        }
        let evidence = SoakEvidence(
            seed: plan.seed, seconds: plan.seconds, store: storeLocation, spools: instances.map(\.layout.root),
            jobs: Array(jobs.prefix(submitted)), faults: faults, snapshot: snapshot, requests: requests, ports: 8,
            terms: lease?.terms, epochs: lease?.epochs, lease: lease?.lease)
        try evidence.write(to: root + "/evidence.json")
        print("soak: ended after \(Int(plan.seconds)) s; checking (the run's files: \(root)\(keepFiles ? ", kept" : ""))")
        let checking = ContinuousClock.now
        let report = try SoakChecker(
            jobs: Array(jobs.prefix(submitted)), rows: try SoakStoreRows.read(storeLocation), snapshot: snapshot, requests: requests,
            spools: instances.map(\.layout), faults: faults, ports: 8, lease: lease
        ).check()
        let checked = (ContinuousClock.now - checking).timeInterval
        let backendName: String
        switch backend {
        case .sqlite: backendName = "SQLite, 1 instance"
        case .postgres: backendName = "PostgreSQL, \(instances.count) instances (lease \(Int(plan.lease)) s)"
        }
        print("soak: seed \(plan.seed), \(Int(plan.seconds)) s, \(backendName), \(submitted) jobs, \(faults.summary), "
            + "\(snapshot.acceptedCalls) calls placed; states \(report.states)")
        for line in report.figures { print("  " + line) }
        print(String(format: "  checked in %.1f s", checked))
        if deferredFiles > 0 { print("  a job file held back while the disk was full: \(deferredFiles) ticks of 20 ms") }
        if report.violations.isEmpty {
            print("soak: violations: 0")
            if !keepFiles { try? FileManager.default.removeItem(atPath: root) }
            return 0
        }
        keepFiles = true
        for violation in report.violations.prefix(50) { print("VIOLATION: " + violation) }
        print("soak: \(report.violations.count) violations; replay with: callspool-bench soak \(Int(plan.seconds)) \(plan.seed) (files kept in \(root)"
            + (disk != nil ? ", a tmpfs left mounted: umount it when done)" : ")"))
        return 1
    }

    /// Checks a finished run again from its directory: `evidence.json`, the
    /// spools, and the store (the SQLite file there, or the PostgreSQL
    /// database the evidence names, which must be running again).
    static func checkAgain(root: String) throws -> Int32 {
        let evidence = try SoakEvidence.read(from: root + "/evidence.json")
        var lease: SoakChecker.LeaseEvidence?
        if let terms = evidence.terms, let epochs = evidence.epochs, let seconds = evidence.lease {
            lease = SoakChecker.LeaseEvidence(terms: terms, epochs: epochs, lease: seconds)
        }
        let start = ContinuousClock.now
        let report = try SoakChecker(
            jobs: evidence.jobs, rows: try SoakStoreRows.read(evidence.store), snapshot: evidence.snapshot, requests: evidence.requests,
            spools: evidence.spools.map { SpoolLayout(root: $0) }, faults: evidence.faults, ports: evidence.ports, lease: lease
        ).check()
        print("soak-check: seed \(evidence.seed), \(Int(evidence.seconds)) s, \(evidence.jobs.count) jobs, \(evidence.faults.summary), "
            + "\(evidence.snapshot.acceptedCalls) calls placed; states \(report.states); checked in "
            + String(format: "%.1f s", (ContinuousClock.now - start).timeInterval))
        for line in report.figures { print("  " + line) }
        for exit in evidence.faults.exits { print("  ended by itself: " + exit) }
        for violation in report.violations.prefix(50) { print("VIOLATION: " + violation) }
        print("soak-check: violations: \(report.violations.count)")
        return report.violations.isEmpty ? 0 : 1
    }

    /// SIGKILL or SIGTERM, then the same instance again after up to half a
    /// second on the same store and held socket.
    static func restart(
        _ instance: inout Instance, signal: Int32, faults: inout SoakFaults, random: inout SeededRandom, executable: String
    ) async throws {
        kill(instance.pid, signal)
        var status: Int32 = 0
        waitpid(instance.pid, &status, 0)
        if signal == SIGKILL { faults.kills += 1 } else { faults.stops += 1 }
        try await Task.sleep(for: .milliseconds(Int(random.next() % 500)))
        instance.pid = try SocketActivatedLaunch.spawn(executable: executable, arguments: instance.arguments, socket: instance.socket, log: instance.log)
    }

    /// Restarts the PostgreSQL server with `$CALLSPOOL_SOAK_PG_RESTART` (a
    /// shell command, e.g. `runuser -u postgres -- pg_ctl -D … restart -m fast`).
    ///
    /// Spawned and reaped directly: Foundation's `Process` on Linux learns of
    /// the exit through a descriptor the restarted server inherits, so its
    /// `waitUntilExit` would wait for the server's end.
    static func restartDatabase(_ command: String) throws {
        let words: [String] = ["/bin/sh", "-c", command]
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchError("cannot run the database restart: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        guard status == 0 else { throw BenchError("the database restart failed (status \(status)): \(command)") }
    }

    /// Every attempt's `userData` and the lease epoch stamped on it, read
    /// with `psql` (independently of the daemon's code).
    static func attemptEpochs(url: String) throws -> [String: Int64?] {
        let candidates = ["/usr/bin/psql", "/usr/local/bin/psql"]
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin/psql" }
        guard let psql = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { throw BenchError("psql not found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = ["-X", "-A", "-t", "-F", "\t", "-d", url, "-c", "SELECT userData, coalesce(epoch::text, '') FROM attempt"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("psql failed reading the attempts") }
        var epochs: [String: Int64?] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else { continue }
            epochs[String(fields[0])] = Int64(fields[1])
        }
        return epochs
    }

    static func submit(_ jobs: [Submitted], layout: SpoolLayout, name: String) throws {
        let lines = jobs.map { job -> String in
            if let code = job.verifyCode {
                return #"{"type":"verify","id":"\#(job.id)","calleeNbr":"\#(job.callee)","verifyCode":"\#(code)","preTone":"p.wav","ttl":"10m"}"#
            }
            return #"{"type":"notify","id":"\#(job.id)","calleeNbr":"\#(job.callee)","playInfoList":[{"notifyVoice":"a.wav","collectInd":1}]}"#
        }
        let staging = layout.tmp + "/" + name
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: staging))
        guard rename(staging, layout.incoming + "/" + name) == 0 else { throw BenchError("cannot drop \(name)") }
    }

    /// A callee's behaviour, drawn by weight.
    static func profile(_ random: inout SeededRandom) -> (String, String) {
        let draw = random.next() % 100
        switch draw {
        case 0..<62: return ("answer", #"{}"#)
        case 62..<70: return ("noAnswer", #"{"outcome": "noAnswer"}"#)
        case 70..<75: return ("busy", #"{"outcome": "busy"}"#)
        case 75..<82: return ("duplicateFee", #"{"duplicateFee": true}"#)
        case 82..<88: return ("digitsBeforeAnswer", #"{"collectInfoBeforeResponse": true, "responseDelaySeconds": 3}"#)
        case 88..<93: return ("slowAnswer", #"{"responseDelaySeconds": 20}"#)
        case 93..<96: return ("lostAnswer", #"{"dropResponse": true}"#)
        default: return ("noHangUp", #"{"dropDisconnect": true}"#)
        }
    }
}

/// The faults the harness injected, for the checker's bounds.
struct SoakFaults: Codable {
    var kills = 0
    var stops = 0
    /// SIGSTOP of the dispatcher for longer than its lease, then SIGCONT.
    var freezes = 0
    var frozen: [String] = []
    var databaseRestarts = 0
    /// Episodes of a full disk (SQLite, as root).
    var fullDisks = 0
    /// Instances that ended by themselves (started again, as `Restart=always` does).
    var exits: [String] = []

    var summary: String {
        "\(kills) SIGKILL, \(stops) SIGTERM" + (freezes > 0 ? ", \(freezes) SIGSTOP past the lease" : "")
            + (databaseRestarts > 0 ? ", \(databaseRestarts) database restarts" : "")
            + (fullDisks > 0 ? ", \(fullDisks) full disks" : "")
    }
}

/// A small tmpfs holding the soak's store and spool, filled to the last
/// byte for a while and emptied again (as Tests/EndToEndTests/FullDiskTests.swift does).
final class SmallDisk {
    let path: String
    private var filler: String { path + "/filler" }

    init(mountingAt path: String, megabytes: Int) throws {
        self.path = path
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
    }

    /// Writes until the filesystem refuses with ENOSPC.
    func fill() {
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: filler) else { return }
        let chunk = Data(count: 64 << 10)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        let small = Data(count: 512)
        while (try? handle.write(contentsOf: small)) != nil {}
        try? handle.close()
    }

    func empty() { try? FileManager.default.removeItem(atPath: filler) }

    func unmount() {
        try? Self.run("/bin/umount", ["-l", path])
        rmdir(path)
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(tool) \(arguments.joined(separator: " ")) failed") }
    }
}

/// Notes each dispatcher term as the lease row shows it, polled every 20 ms
/// on its own thread: the epoch, its holder and when it began on the
/// database's clock. A term shorter than the poll can be missed; the
/// checker then compares with the next term it saw, which begins later, so
/// a missed term can hide a violation but never make one up.
final class LeaseWatcher: @unchecked Sendable {
    struct Term: Sendable, Codable {
        var epoch: Int64
        var holder: String
        var acquiredAt: Date
    }

    private let settings: PostgresStore.Settings
    private let lock = NSLock()
    private var store: PostgresStore?
    private var terms: [Int64: Term] = [:]
    private var newest: Term?
    private var stopping = false
    private let done = DispatchSemaphore(value: 0)

    init(settings: PostgresStore.Settings, store: PostgresStore) {
        self.settings = settings
        self.store = store
    }

    var latest: Term? {
        lock.lock()
        defer { lock.unlock() }
        return newest
    }

    func start() {
        let thread = Thread { [self] in
            while !self.isStopping {
                self.poll()
                usleep(20_000)
            }
            self.done.signal()
        }
        thread.start()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func poll() {
        lock.lock()
        let current = store
        lock.unlock()
        guard let current else {
            // Reopen after a failure (the database restarted).
            let reopened = try? PostgresStore.openReadOnly(settings)
            lock.lock()
            store = reopened
            lock.unlock()
            return
        }
        do {
            guard let lease = try current.dispatcherLease() else { return }
            let term = Term(epoch: lease.epoch, holder: lease.holder, acquiredAt: lease.acquiredAt)
            lock.lock()
            if terms[term.epoch] == nil { terms[term.epoch] = term }
            newest = term
            lock.unlock()
        } catch {
            current.close()
            lock.lock()
            store = nil
            lock.unlock()
        }
    }

    /// Stops polling; the terms seen, by epoch.
    func stop() -> [Term] {
        lock.lock()
        stopping = true
        lock.unlock()
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        store?.close()
        return terms.values.sorted { $0.epoch < $1.epoch }
    }
}

extension SeededRandom {
    /// Seconds until the next event of a Poisson process with this mean.
    mutating func exponential(mean: Double) -> Double {
        let unit = (Double(next() >> 11) + 0.5) / Double(1 << 53)
        return -log(unit) * mean
    }
}

/// What a soak run saw besides the store and the spools — the jobs it
/// submitted, the faults, the simulator's log, the requests' arrivals and
/// (PostgreSQL) the dispatcher terms and each attempt's epoch — written to
/// `evidence.json` in the run's directory before the check, so that
/// `callspool-bench soak-check DIR` can check the run again.
struct SoakEvidence: Codable {
    var seed: UInt64
    var seconds: Double
    /// The SQLite file, or the PostgreSQL URL.
    var store: String
    var spools: [String]
    var jobs: [SoakRun.Submitted]
    var faults: SoakFaults
    var snapshot: SimulatorSnapshot
    var requests: [ArrivalLog.Request]
    var ports: Int
    var terms: [LeaseWatcher.Term]?
    var epochs: [String: Int64?]?
    var lease: Double?

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    static func read(from path: String) throws -> SoakEvidence {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(SoakEvidence.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
