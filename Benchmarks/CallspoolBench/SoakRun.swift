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
        var meanRestartInterval: Double { max(4, seconds / 8) }
    }

    /// One job the harness submitted, and what its callee does.
    struct Submitted {
        var id: String
        var callee: String
        var verifyCode: String?
        var profile: String
    }

    static func run(_ plan: Plan) async throws -> Int32 {
        var random = SeededRandom(seed: plan.seed)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("callspool")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw BenchError("build the daemon first: swift build -c release --product callspool (looked at \(executable.path))")
        }
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
        let platform = try await SimulatorRun.start(scenario: scenario, timeScale: 20, logger: quiet)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-soak-\(plan.seed)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let socket = try HeldListeningSocket()
        let credentials = platform.simulator.credentials
        let config = root + "/callspool.toml"
        try """
            [platform]
            base_url = "\(platform.baseURL)"
            app_key = "\(credentials.appKey)"
            app_secret = "\(credentials.appSecret)"
            timeout = "3s"
            [spool]
            dir = "\(root)/spool"
            settle = "0s"
            [store]
            path = "\(root)/store.sqlite"
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
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let log = root + "/daemon.log"
        let arguments = ["run", "--config", config, "--log-level", "warning"]
        var pid = try SocketActivatedLaunch.spawn(executable: executable.path, arguments: arguments, socket: socket, log: log)
        let layout = SpoolLayout(root: root + "/spool")
        try layout.ensureExists()

        var faults = SoakFaults()
        let start = ContinuousClock.now
        var nextFile = 0.0
        var nextRestart = random.exponential(mean: plan.meanRestartInterval)
        var submitted = 0
        while (ContinuousClock.now - start).timeInterval < plan.seconds {
            let now = (ContinuousClock.now - start).timeInterval
            if now >= nextFile, submitted < jobs.count {
                let batch = jobs[submitted..<min(jobs.count, submitted + plan.jobsPerFile)]
                try Self.submit(Array(batch), layout: layout, name: "f\(submitted).jsonl")
                submitted += batch.count
                nextFile += plan.fileInterval
            }
            if now >= nextRestart {
                let signal = random.next() % 3 == 0 ? SIGTERM : SIGKILL
                kill(pid, signal)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                if signal == SIGKILL { faults.kills += 1 } else { faults.stops += 1 }
                try await Task.sleep(for: .milliseconds(Int(random.next() % 500)))
                pid = try SocketActivatedLaunch.spawn(executable: executable.path, arguments: arguments, socket: socket, log: log)
                nextRestart = now + random.exponential(mean: plan.meanRestartInterval)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Settle: intake done, nothing queued, sent or in a call.
        let store = try AppDatabase.open(path: root + "/store.sqlite")
        let settleDeadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < settleDeadline {
            let counts = try store.stateCounts()
            let open = (counts[.queued] ?? 0) + (counts[.dispatching] ?? 0) + (counts[.inCall] ?? 0)
            let pending = (try? FileManager.default.contentsOfDirectory(atPath: layout.incoming))?.count ?? 0
            if open == 0, pending == 0, counts.values.reduce(0, +) >= submitted { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let snapshot = await platform.simulator.snapshot()
        await platform.stop()
        let report = try SoakChecker(
            jobs: Array(jobs.prefix(submitted)), store: store, snapshot: snapshot, spool: layout, faults: faults, ports: 8
        ).check()
        print("soak: seed \(plan.seed), \(Int(plan.seconds)) s, \(submitted) jobs, \(faults.kills) SIGKILL, \(faults.stops) SIGTERM, "
            + "\(snapshot.acceptedCalls) calls placed; states \(report.states)")
        for line in report.figures { print("  " + line) }
        if report.violations.isEmpty {
            print("soak: violations: 0")
            try? FileManager.default.removeItem(atPath: root)
            return 0
        }
        for violation in report.violations { print("VIOLATION: " + violation) }
        print("soak: \(report.violations.count) violations; replay with: callspool-bench soak \(Int(plan.seconds)) \(plan.seed) (files kept in \(root))")
        return 1
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
struct SoakFaults {
    var kills = 0
    var stops = 0
}

extension SeededRandom {
    /// Seconds until the next event of a Poisson process with this mean.
    mutating func exponential(mean: Double) -> Double {
        let unit = (Double(next() >> 11) + 0.5) / Double(1 << 53)
        return -log(unit) * mean
    }
}
