import Foundation
import Logging

/// Runs (b) and (c) — callspool then the naive dispatcher against a fresh
/// simulator with the same scenario — and prints both rows.
/// Arguments: calls, time scale, verify_reserved_ports, hidden port limit, then
/// any of "no-naive", "no-verify", "first-verify", "idle-lag=<simulated s>"
/// (how long a freed port still counts busy in `idlePort`; default 0),
/// "answer-delay=<simulated s>" (admission to the platform's answer; default 2).
func reportCampaign(arguments: [String]) async throws {
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    var benchmark = CampaignBenchmark()
    if arguments.count > 0, let calls = Int(arguments[0]) { benchmark.calls = calls }
    if arguments.count > 1, let scale = Double(arguments[1]) { benchmark.setup.timeScale = scale }
    if arguments.count > 2, arguments[2] == "auto" || Int(arguments[2]) != nil { benchmark.setup.verifyReserved = arguments[2] }
    if arguments.count > 3, let hidden = Int(arguments[3]) { benchmark.setup.hiddenPorts = hidden }
    if arguments.contains("no-verify") { benchmark.verifySamples = 0 }
    if let lag = arguments.first(where: { $0.hasPrefix("idle-lag=") }).flatMap({ Double($0.dropFirst("idle-lag=".count)) }) {
        benchmark.setup.idlePortLagSeconds = lag
    }
    if let delay = arguments.first(where: { $0.hasPrefix("answer-delay=") }).flatMap({ Double($0.dropFirst("answer-delay=".count)) }) {
        benchmark.setup.answerDelaySeconds = delay
    }
    if arguments.contains("first-verify") {
        benchmark.verifySamples = 1
        benchmark.firstVerifyOnly = true
    }
    let withNaive = !arguments.contains("no-naive")
    let setup = benchmark.setup
    print(String(
        format: "campaign: %d notify calls, hidden port limit %d, max_concurrent_calls %d, verify_reserved_ports %@; time scale S = %.0f: "
            + "scripted call (callout 1 s + ring 2–8 s + talk 10–30 s) %.0f s simulated = %.3f s real; estimated ideal %.1f s real",
        benchmark.calls, setup.hiddenPorts, setup.configuredPorts, setup.verifyReserved as NSString, setup.timeScale, setup.nominalCallSeconds,
        benchmark.scriptedCallRealSeconds, benchmark.estimatedIdeal))
    print("daemon scaled by S: \(setup.describedScaling); naive: one request every \(setup.nominalCallSeconds / Double(setup.configuredPorts) / setup.timeScale) s, sleeps 60/S = \(60 / setup.timeScale) s on 1020154")
    print(String(
        format: "simulator: a freed port counts busy in idlePort for %.2f s simulated (%.1f ms real); answers come %.2f s simulated (%.1f ms real) after admission",
        setup.idlePortLagSeconds, setup.idlePortLagSeconds / setup.timeScale * 1000, setup.answerDelaySeconds, setup.answerDelaySeconds / setup.timeScale * 1000))
    print(String(format: "verify files: one every %.1f s while the campaign runs (at most %d)", benchmark.verifyInterval.timeInterval, benchmark.verifySamples))
    let (callspool, latency, notes) = try await benchmark.runCallspool(logger: quiet)
    print(notes)
    var rows = [callspool]
    if withNaive { rows.append(try await benchmark.runNaive(logger: quiet)) }
    print(CampaignResult.header)
    for row in rows { print(row.row) }
    for row in rows { print(row.verdict) }
    if let latency {
        print(latency.line("verify drop → request during the campaign", p50Target: nil, p99Target: 1.0))
        if benchmark.firstVerifyOnly {
            print(String(
                format: "first verify job after a quiet period, every port busy: waited %.3f s scaled = %.1f s in real-time terms (time scale %.0f; a scripted call lasts %.0f s)",
                latency.max, latency.max * setup.timeScale, setup.timeScale, setup.nominalCallSeconds))
        }
    }
    print("load average at the end: \(loadAverageText())")
}
