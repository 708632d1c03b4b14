import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import VoiceCallAPI
import VoiceCallSimulator

/// The ceiling the dispatch benchmark runs under on this machine: the same
/// signed `callnotify` requests sent straight from `VoiceCallClient` to the
/// in-process simulator over loopback, `lanes` at a time — no store, no
/// scheduler, no callbacks. Whatever the dispatch figure lacks against this
/// one is callspool's own cost.
func benchHTTPCeiling(count: Int, lanes: Int) async throws -> Measurement {
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    let scenario = try JSONDecoder().decode(SimulatorScenario.self, from: Data("""
        {"displayNumbers": ["+8675528000088"],
         "limits": {"ports": 100000, "requestsPerSecond": 0, "perCalleeMax": 0, "perDisplayNumberPerMinute": 0},
         "timing": {"calloutSeconds": 1, "feeDelaySeconds": 1, "feeBatchWindowSeconds": 1},
         "defaults": {"outcome": "answer", "ringSeconds": 2, "talkSeconds": 5}}
        """.utf8))
    let run = try await SimulatorRun.start(scenario: scenario, timeScale: 1, logger: quiet)
    let http = HTTPClientService(maxConnections: lanes)
    let credentials = AppCredentials(appKey: run.simulator.credentials.appKey, appSecret: run.simulator.credentials.appSecret)
    let client = VoiceCallClient(
        configuration: .init(baseURL: run.baseURL), signer: RequestSigner(credentials: credentials, scheme: .aksk, clock: SystemWallClock()),
        httpClient: http.client, logger: quiet)
    let start = ContinuousClock.now
    let accepted = await withTaskGroup(of: Int.self) { group in
        for lane in 0..<lanes {
            group.addTask {
                var accepted = 0
                for index in stride(from: lane, to: count, by: lanes) {
                    let request = CallNotifyRequest(
                        displayNbr: "+8675528000088", calleeNbr: "+86136" + String(format: "%08d", index),
                        playInfoList: [.init(notifyVoice: "a.wav")], returnIdlePort: "true", userData: "cs1.\(index).1")
                    if case .accepted = await client.notify(request) { accepted += 1 }
                }
                return accepted
            }
        }
        return await group.reduce(0, +)
    }
    let seconds = (ContinuousClock.now - start).timeInterval
    try await http.shutdown()
    await run.stop()
    return Measurement(
        name: "HTTP ceiling: signed requests straight to the simulator, \(lanes) at a time (no store, no scheduler)", count: accepted,
        seconds: seconds, unit: "requests", target: 1000)
}
