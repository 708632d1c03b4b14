import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI
import VoiceCallSimulator

/// Dispatch throughput: the daemon as `callspool run` builds it sends `count`
/// queued notify jobs to the simulator (no port limit): sign, send, store.
/// With `campaignJobs`, each job has what campaign jobs carry: a calling
/// window (open all day), a redial policy and a `meta` object of its own.
func benchDispatch(count: Int, campaignJobs: Bool = false) async throws -> Measurement {
    let scenario = try JSONDecoder().decode(SimulatorScenario.self, from: Data("""
        {"displayNumbers": ["+8675528000088"],
         "limits": {"ports": 100000, "requestsPerSecond": 100000, "perCalleeMax": 100, "perDisplayNumberPerMinute": 10000000},
         "timing": {"calloutSeconds": 1, "feeDelaySeconds": 1, "feeBatchWindowSeconds": 1},
         "defaults": {"outcome": "answer", "ringSeconds": 2, "talkSeconds": 5}}
        """.utf8))
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    let simulator = VoiceCallSimulator(configuration: .init(scenario: scenario, clock: SimulatorClock(timeScale: 1), seed: 1, logger: quiet))
    let platformPort = 19_500 + Int.random(in: 0..<400)
    let callbackPort = platformPort + 400
    let simulatorGroup = ServiceGroup(configuration: .init(services: [simulator.makeApplication(host: "127.0.0.1", port: platformPort)], logger: quiet))
    let simulatorTask = Task { try await simulatorGroup.run() }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-bench-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let configuration = try benchConfiguration(platformPort: platformPort, callbackPort: callbackPort, appKey: simulator.credentials.appKey, appSecret: simulator.credentials.appSecret, dir: dir)
    let parts = try CallspoolDaemon.makeParts(configuration: configuration, logger: quiet)
    let specs = (0..<count).map { index in
        JobSpec(
            id: "d\(index)", type: .notify, calleeNbr: "+86137" + String(format: "%08d", index), payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]),
            redial: campaignJobs ? RedialPolicy(maxAttempts: 3, interval: .seconds(600), on: [.noAnswer, .busy]) : nil,
            window: campaignJobs ? CallingWindow(startMinute: 0, endMinute: 24 * 60, timeZone: "Asia/Shanghai") : nil,
            meta: campaignJobs ? #"{"customer":"c-\#(index)","order":12345,"tags":["spring","vip"]}"# : nil)
    }
    _ = try parts.database.insertJobs(specs, intakeKey: "bench", sourceFile: "bench", policy: IntakePolicy(), now: Date())
    let daemon = CallspoolDaemon.makeServiceGroup(parts: parts, logger: quiet)
    let start = ContinuousClock.now
    let daemonTask = Task { try await daemon.run() }
    var placed = 0
    while placed < count {
        try await Task.sleep(for: .milliseconds(20))
        let counts = try parts.database.stateCounts()
        placed = (counts[.inCall] ?? 0) + (counts[.completed] ?? 0)
        if ContinuousClock.now - start > .seconds(120) { break }
    }
    let seconds = (ContinuousClock.now - start).timeInterval
    await daemon.triggerGracefulShutdown()
    _ = try? await daemonTask.value
    await simulatorGroup.triggerGracefulShutdown()
    _ = try? await simulatorTask.value
    return Measurement(name: "dispatch (sign, send, store) of \(count) \(campaignJobs ? "campaign jobs' " : "")calls against the simulator", count: placed, seconds: seconds, unit: "calls", target: 1000)
}
