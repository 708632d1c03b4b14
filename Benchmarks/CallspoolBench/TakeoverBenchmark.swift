import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallSimulator

/// Takeover time on PostgreSQL: two `callspool run` processes share a fresh
/// database (on `$CALLSPOOL_BENCH_POSTGRES`); the one holding the
/// dispatcher lease is SIGKILLed `kills` times (restarted each time as the
/// standby), and the time from the kill to the other holding the lease is
/// measured. The `callspool` binary is the one next to this benchmark
/// (build it: `swift build -c release --product callspool`) or `$CALLSPOOL_BINARY`.
func benchTakeover(kills: Int, lease: String) async throws -> LatencySummary {
    guard let url = try benchStoreURL() else { throw BenchError("set CALLSPOOL_BENCH_POSTGRES to a PostgreSQL server's URL") }
    let binary = try callspoolBinary()
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    let scenario = try JSONDecoder().decode(SimulatorScenario.self, from: Data(#"{"displayNumbers": ["+8675528000088"]}"#.utf8))
    let simulator = VoiceCallSimulator(configuration: .init(scenario: scenario, clock: SimulatorClock(timeScale: 1), seed: 1, logger: quiet))
    let platformPort = 21_500 + Int.random(in: 0..<400)
    let simulatorGroup = ServiceGroup(configuration: .init(services: [simulator.makeApplication(host: "127.0.0.1", port: platformPort)], logger: quiet))
    let simulatorTask = Task { try await simulatorGroup.run() }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-takeover-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var configs: [String: String] = [:]
    for (index, name) in ["a", "b"].enumerated() {
        let callbackPort = platformPort + 400 + index
        let path = "\(dir)/\(name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let text = """
            [platform]
            base_url = "http://127.0.0.1:\(platformPort)"
            app_key = "\(simulator.credentials.appKey)"
            app_secret = "\(simulator.credentials.appSecret)"
            [spool]
            dir = "\(path)/spool"
            [store]
            url = "\(url)"
            lease = "\(lease)"
            [instance]
            name = "\(name)"
            [callbacks]
            listen = "127.0.0.1:\(callbackPort)"
            status_url = "http://127.0.0.1:\(callbackPort)/cb/status"
            fee_url = "http://127.0.0.1:\(callbackPort)/cb/fee"
            [defaults]
            display_numbers = ["+8675528000088"]
            [metrics]
            listen = "127.0.0.1:0"
            """
        try text.write(toFile: "\(path)/callspool.toml", atomically: true, encoding: .utf8)
        configs[name] = "\(path)/callspool.toml"
    }
    var processes: [String: Process] = [:]
    func launch(_ name: String) throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "--config", configs[name] ?? "", "--log-level", "error"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes[name] = process
    }
    try launch("a")
    let store = try PostgresStore.openReadOnlyWhenReady(PostgresStore.Settings(url: url, instance: "bench"))
    defer { store.close() }
    try await waitUntil(timeout: .seconds(60)) { try store.dispatcherLease()?.holder == "a" }
    try launch("b")
    var samples: [Double] = []
    for _ in 0..<kills {
        guard let holder = try store.dispatcherLease()?.holder, let victim = processes[holder] else { throw BenchError("no dispatcher") }
        let other = holder == "a" ? "b" : "a"
        // The standby must be up (it renews nothing, but it must be polling).
        try await Task.sleep(for: .seconds(1))
        let killed = ContinuousClock.now
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        try await waitUntil(timeout: .seconds(120), step: .milliseconds(5)) { try store.dispatcherLease()?.holder == other }
        samples.append((ContinuousClock.now - killed).timeInterval)
        try launch(holder)
    }
    for process in processes.values where process.isRunning {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
    await simulatorGroup.triggerGracefulShutdown()
    _ = try? await simulatorTask.value
    return LatencySummary(samples: samples)
}

func callspoolBinary() throws -> URL {
    if let explicit = ProcessInfo.processInfo.environment["CALLSPOOL_BINARY"] { return URL(fileURLWithPath: explicit) }
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("callspool")
    guard FileManager.default.isExecutableFile(atPath: beside.path) else {
        throw BenchError("no callspool binary at \(beside.path): swift build -c release --product callspool, or set CALLSPOOL_BINARY")
    }
    return beside
}

func waitUntil(timeout: Duration, step: Duration = .milliseconds(50), _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw BenchError("timed out") }
        try await Task.sleep(for: step)
    }
}

extension PostgresStore {
    /// Read-only once a daemon has migrated the database.
    static func openReadOnlyWhenReady(_ settings: Settings) throws -> PostgresStore {
        let deadline = Date().addingTimeInterval(60)
        while true {
            do {
                return try openReadOnly(settings)
            } catch PostgresStoreError.outdated where Date() < deadline {
                usleep(100_000)
            }
        }
    }
}
