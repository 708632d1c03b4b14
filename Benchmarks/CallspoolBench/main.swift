// The benchmark harness: measures what Benchmarks/README.md sets targets for.
// Run: swift run -c release callspool-bench [intake]
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import VoiceCallAPI

struct Measurement {
    var name: String
    var count: Int
    var seconds: Double
    var unit: String
    var target: Double

    var rate: Double { Double(count) / seconds }
    var line: String {
        let verdict = rate >= target ? "meets" : "BELOW"
        return String(format: "%@: %d %@ in %.2f s = %.0f %@/s (target ≥ %.0f: %@)", name, count, unit, seconds, rate, unit, target, verdict)
    }
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func elapsed(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let duration = ContinuousClock.now - start
    return duration.timeInterval
}

func makeSpool() throws -> (SpoolIntake, String) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-bench-\(UUID().uuidString)").path
    let layout = SpoolLayout(root: root + "/spool")
    try layout.ensureExists()
    let database: any CallStore = try benchStoreURL().map { try PostgresStore.open(PostgresStore.Settings(url: $0, instance: "bench")) }
        ?? AppDatabase.open(path: root + "/store.sqlite")
    return (SpoolIntake(database: database, layout: layout), root)
}

func campaignText(count: Int) -> String {
    var jobs: [String] = []
    jobs.reserveCapacity(count)
    for index in 0..<count {
        let digits = String(index)
        let callee = "+86139" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        jobs.append(#"{"calleeNbr":"\#(callee)","templateParas":["客户\#(index)","9:30"],"meta":{"row":\#(index)}}"#)
    }
    return #"{"campaign":"bench","type":"notify","defaults":{"displayNbr":"+8675528000088","playInfoList":[{"templateId":"appt_remind","collectInd":1}],"window":{"start":"09:00","end":"20:00","tz":"Asia/Shanghai"}},"jobs":["#
        + jobs.joined(separator: ",\n") + "]}"
}

func benchCampaign(count: Int) throws -> Measurement {
    let (intake, root) = try makeSpool()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let staging = intake.layout.tmp + "/campaign.json"
    try Data(campaignText(count: count).utf8).write(to: URL(fileURLWithPath: staging))
    rename(staging, intake.layout.incoming + "/campaign.json")
    var accepted = 0
    let seconds = try elapsed {
        if case .processed(let report) = try intake.process(name: "campaign.json", settled: true) { accepted = report.accepted }
    }
    precondition(accepted == count, "only \(accepted) of \(count) jobs accepted")
    return Measurement(name: "intake of a \(count)-job campaign file", count: count, seconds: seconds, unit: "jobs", target: 50_000)
}

/// - Parameter quiet: seconds to wait between writing the input and the
///   timed intake. On an ext4 file system without a journal (this machine's)
///   creating a file skips every recently freed inode (60 s by the kernel's
///   rule, more while the inode table is being written back), so a run
///   started right after another run's clean-up (thousands of files removed)
///   pays for that clean-up in every report and copy it creates: measured
///   with `perf`, most of such a run is `ext4_create → find_inode_bit →
///   recently_deleted`. Waiting lessens that; 31 s does not remove it.
///   Each run's own clean-up (its thousands of reports and copies) would
///   weigh the same way on the next run: with `later` given, the spool is
///   left to it, removed after the last run.
func benchSingleFiles(count: Int, quiet: Int = 0, later: LaterRemovals? = nil) throws -> Measurement {
    let (intake, root) = try makeSpool()
    defer {
        if let later { later.roots.append(root) } else { try? FileManager.default.removeItem(atPath: root) }
    }
    var names: [String] = []
    for index in 0..<count {
        let name = "job-\(index).json"
        let text = #"{"type":"verify","id":"login-\#(index)","calleeNbr":"+8613900\#(String(format: "%06d", index))","verifyCode":"482913","preTone":"otp_pre.wav","ttl":"5m"}"#
        try Data(text.utf8).write(to: URL(fileURLWithPath: intake.layout.tmp + "/" + name))
        rename(intake.layout.tmp + "/" + name, intake.layout.incoming + "/" + name)
        names.append(name)
    }
    // Writers flush their files before the rename (`callspool submit` does):
    // flushed here too, so the measurement is intake's own syncs, not the
    // write-back of the input the benchmark just created.
    sync()
    if quiet > 0 {
        print("waiting \(quiet) s before the timed intake (recently freed inodes are skipped when files are created)")
        Thread.sleep(forTimeInterval: TimeInterval(quiet))
    }
    var processed = 0
    let cpuBefore = processCPUSeconds()
    // As the intake service hands them over: up to 512 names at a time
    // (IntakeService.maxGathered), small files committed together.
    let seconds = try elapsed {
        var start = 0
        while start < names.count {
            let end = min(names.count, start + 512)
            for outcome in intake.process(names[start..<end].map { SpoolIntake.Request(name: $0, settled: true) }) {
                if case .processed = try outcome.result.get() { processed += 1 }
            }
            start = end
        }
    }
    precondition(processed == count, "only \(processed) of \(count) files processed")
    let cpu = processCPUSeconds() - cpuBefore
    print(String(
        format: "where the time went: process CPU %.2f s of %.2f s wall (%.0f µs CPU per file); the rest waits for the disk (two syncfs per 128 files)",
        cpu, seconds, cpu / Double(max(count, 1)) * 1_000_000))
    return Measurement(name: "intake of \(count) single-job files", count: count, seconds: seconds, unit: "files", target: 2_000)
}

/// Spools a command removes only after its last run: a run's clean-up frees
/// thousands of inodes, which the next run's creates would pay for.
final class LaterRemovals {
    var roots: [String] = []

    func removeAll() {
        for root in roots { try? FileManager.default.removeItem(atPath: root) }
        roots.removeAll()
    }
}

func benchParse(count: Int) throws -> Measurement {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-parse-\(UUID().uuidString).json").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(campaignText(count: count).utf8).write(to: URL(fileURLWithPath: path))
    var valid = 0
    let seconds = try elapsed {
        var reader = try JobFile.open(path).reader()
        while let entry = try reader.next() { if case .success = entry.result { valid += 1 } }
    }
    precondition(valid == count)
    return Measurement(name: "parse+validate only (no store) of a \(count)-job campaign", count: count, seconds: seconds, unit: "jobs", target: 50_000)
}

let which = CommandLine.arguments.dropFirst().first ?? "intake"
print("callspool-bench \(which) on \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverageText())")
fflush(nil)
switch which {
case "dispatch":
    let count = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 5000 : 5000
    let campaignJobs = CommandLine.arguments.count > 3 && CommandLine.arguments[3] == "campaign"
    print(try await benchDispatch(count: count, campaignJobs: campaignJobs).line)
case "http":
    let count = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 2000 : 2000
    let lanes = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 64 : 64
    print(try await benchHTTPCeiling(count: count, lanes: lanes).line)
case "callbacks":
    let sessions = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 2000 : 2000
    let clients = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 32 : 32
    print(try await benchCallbacks(sessions: sessions, concurrency: clients).line)
case "callbacks-floor":
    let requests = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 10_000 : 10_000
    let clients = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 32 : 32
    print(try await benchCallbackHTTPFloor(requests: requests, concurrency: clients).line)
case "files":
    let count = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 2000 : 2000
    let runs = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 1 : 1
    let quiet = CommandLine.arguments.count > 4 ? Int(CommandLine.arguments[4]) ?? 31 : 31
    let later = LaterRemovals()
    defer { later.removeAll() }
    for _ in 0..<max(1, runs) { print(try benchSingleFiles(count: count, quiet: quiet, later: later).line) }
case "parse":
    print(try benchParse(count: 100_000).line)
case "intake":
    let campaign = try benchCampaign(count: 100_000)
    print(campaign.line)
    print(String(format: "peak RSS after campaign intake: %.1f MB", peakRSSMegabytes()))
    let files = try benchSingleFiles(count: 10_000)
    print(files.line)
    print(String(format: "peak RSS: %.1f MB", peakRSSMegabytes()))
case "campaign":
    try await reportCampaign(arguments: Array(CommandLine.arguments.dropFirst(2)))
case "latency-idle":
    let samples = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 100 : 100
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    let summary = try await IdleLatencyBenchmark(samples: samples).run(logger: quiet)
    print(summary.line("verify drop → request, idle daemon (one file every 200 ms)", p50Target: 0.020, p99Target: 0.100))
case "takeover":
    let kills = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 20 : 20
    let lease = CommandLine.arguments.count > 3 ? CommandLine.arguments[3] : "10s"
    let summary = try await benchTakeover(kills: kills, lease: lease)
    let leaseSeconds = Double(lease.hasSuffix("s") ? String(lease.dropLast()) : lease) ?? 10
    print(summary.line("takeover after SIGKILL of the dispatcher (lease \(lease), \(kills) kills)", p50Target: nil, p99Target: leaseSeconds + 2))
case "startup":
    let runs = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 10 : 10
    let seconds = try StartupBenchmark.run(runs: runs)
    let sorted = seconds.sorted()
    print(String(format: "restart to first callback answered (socket held, %d runs): first (new store) %.0f ms; min %.0f, median %.0f, max %.0f ms (target: well under 1,000 ms)",
        runs, seconds[0] * 1000, sorted[0] * 1000, sorted[sorted.count / 2] * 1000, sorted[sorted.count - 1] * 1000))
case "api-latency":
    let samples = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 100 : 100
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    let (call, answer) = try await APIBenchmark().latency(samples: samples, logger: quiet)
    print(call.line("POST /v1/jobs (one verify job) → request at the platform, idle daemon", p50Target: nil, p99Target: 0.020))
    print(answer.line("POST /v1/jobs → 201 (committed)", p50Target: nil, p99Target: 0.020))
case "api-campaign":
    let jobs = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 100_000 : 100_000
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    print(try await APIBenchmark().campaign(jobs: jobs, logger: quiet).line)
case "webhooks":
    let events = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 20_000 : 20_000
    for measurement in try await benchWebhooks(events: events) { print(measurement.line) }
case "soak":
    let seconds = CommandLine.arguments.count > 2 ? Double(CommandLine.arguments[2]) ?? 300 : 300
    let seed = CommandLine.arguments.count > 3 ? UInt64(CommandLine.arguments[3]) ?? UInt64.random(in: 1...UInt64(UInt32.max)) : UInt64.random(in: 1...UInt64(UInt32.max))
    exit(try await SoakRun.run(SoakRun.Plan(seconds: seconds, seed: seed)))
case "soak-check":
    guard CommandLine.arguments.count > 2 else {
        print("usage: callspool-bench soak-check DIR (a soak's files, kept with CALLSPOOL_SOAK_KEEP=1 or after a violation)")
        exit(2)
    }
    exit(try SoakRun.checkAgain(root: CommandLine.arguments[2]))
case "memory":
    let jobs = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 1_000_000 : 1_000_000
    let seconds = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 30 : 30
    try MemoryBenchmark.parent(jobs: jobs, seconds: seconds)
case "memory-fill":
    try MemoryBenchmark.fill(dir: CommandLine.arguments[2], jobs: Int(CommandLine.arguments[3]) ?? 1_000_000)
case "memory-run":
    try await MemoryBenchmark.run(dir: CommandLine.arguments[2], seconds: Int(CommandLine.arguments[3]) ?? 30)
default:
    print("unknown benchmark \(which); available: intake, parse, files, dispatch, http, callbacks, callbacks-floor, campaign, latency-idle, memory, takeover, startup, soak, soak-check, webhooks, api-latency, api-campaign")
    exit(2)
}
