import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import VoiceCallAPI
import VoiceCallSimulator

/// The scenario and daemon configuration of the time-scaled benchmarks.
///
/// The simulator plays calls `timeScale` times faster than real; every
/// duration of the daemon that stands for platform time is divided by the
/// same factor (backoffs, lease, per-callee window) and every rate multiplied
/// by it, so both sides see the same world, only faster. Durations the
/// configuration bounds from below (`backoff.*` ≥ 1 s, `call_lease` ≥ 10 s)
/// are clamped. `defaults.verify_ttl` stays 5 min so no latency sample expires.
struct ScaledSetup {
    var timeScale: Double
    /// The platform's (hidden) port limit.
    var hiddenPorts: Int
    /// `limits.max_concurrent_calls` of the daemon.
    var configuredPorts: Int
    /// `limits.verify_reserved_ports` of the daemon: "auto" (the default) or a number.
    var verifyReserved: String
    /// Ring 2–8 s, talk 10–30 s (uniform), callout 1 s: 26 s per answered notify call on average.
    var ringSeconds = (min: 2.0, max: 8.0)
    var talkSeconds = (min: 10.0, max: 30.0)
    var calloutSeconds = 1.0
    /// A freed port still counts busy in `idlePort` for this long (simulated
    /// seconds): the platform's idle count lags the disconnect. Off by
    /// default: at full use it only turns an idle count of 1 into 0, which
    /// the daemon reads against its ports in use, requests in flight included.
    var idlePortLagSeconds = 0.0
    /// The platform's answer to an accepted request comes this long after
    /// admission (simulated seconds; 2 s is a slow but real API answer): a
    /// call that ends meanwhile is pushed before the answer arrives, though
    /// the answer's `idlePort` was counted with that call's port busy, so the
    /// daemon reads one port short (the race of docs/scheduling.md, "Ports").
    var answerDelaySeconds = 2.0

    /// The scripted mean of a notify call, in simulated seconds.
    var nominalCallSeconds: Double { calloutSeconds + (ringSeconds.min + ringSeconds.max) / 2 + (talkSeconds.min + talkSeconds.max) / 2 }

    static let displayNumber = "+8675528000088"

    /// Every callee answers; the simulator's own rate limits are off (the
    /// subject is ports), the port limit is `hiddenPorts`.
    func scenario() throws -> SimulatorScenario {
        try JSONDecoder().decode(SimulatorScenario.self, from: Data("""
            {"displayNumbers": ["\(Self.displayNumber)"],
             "limits": {"ports": \(hiddenPorts), "requestsPerSecond": 0, "perCalleeMax": 0, "perDisplayNumberPerMinute": 0},
             "timing": {"calloutSeconds": \(calloutSeconds), "feeDelaySeconds": 1, "feeBatchWindowSeconds": 1, "idlePortLagSeconds": \(idlePortLagSeconds)},
             "defaults": {"outcome": "answer", "responseDelaySeconds": \(answerDelaySeconds), "ringSeconds": {"min": \(ringSeconds.min), "max": \(ringSeconds.max)},
                          "talkSeconds": {"min": \(talkSeconds.min), "max": \(talkSeconds.max)}}}
            """.utf8))
    }

    /// A platform duration of `seconds`, scaled, as configuration text (ms), at least `floor` seconds.
    func scaled(_ seconds: Double, floor: Double) -> String {
        "\(Int((Swift.max(floor, seconds / timeScale) * 1000).rounded()))ms"
    }

    func scaledRate(_ perSecond: Int) -> Int { Swift.min(100_000, Int((Double(perSecond) * timeScale).rounded())) }

    func configuration(platformBaseURL: String, credentials: AppCredentials, dir: String) throws -> Configuration {
        let callbackPort = 21_000 + Int.random(in: 0..<2000)
        return try benchConfiguration(
            platformBaseURL: platformBaseURL, callbackPort: callbackPort, appKey: credentials.appKey, appSecret: credentials.appSecret, dir: dir,
            displayNumber: Self.displayNumber,
            limits: """
                max_concurrent_calls = \(configuredPorts)
                requests_per_second = \(scaledRate(20))
                per_display_number_per_minute = \(scaledRate(60))
                per_callee_max = 3
                per_callee_window = "\(scaled(86_400, floor: 1))"
                verify_reserved_ports = \(verifyReserved == "auto" ? "\"auto\"" : verifyReserved)
                verify_demand_window = "\(scaled(3600, floor: 1))"
                call_lease = "\(scaled(600, floor: 10))"
                """,
            backoff: """
                ports = "\(scaled(60, floor: 1))"
                flow = "\(scaled(60, floor: 1))"
                callee = "\(scaled(3600, floor: 1))"
                halt = "\(scaled(300, floor: 1))"
                """,
            defaults: #"verify_ttl = "5m""#, file: "bench-scaled.toml")
    }

    /// The scaled `[limits]`/`[backoff]` values, for the report.
    var describedScaling: String {
        "backoff.ports/flow \(scaled(60, floor: 1)), backoff.callee \(scaled(3600, floor: 1)), backoff.halt \(scaled(300, floor: 1)), "
            + "call_lease \(scaled(600, floor: 10)), per_callee_window \(scaled(86_400, floor: 1)), "
            + "requests_per_second \(scaledRate(20)), per_display_number_per_minute \(scaledRate(60))"
    }

    /// Notify jobs `prefix<n>` for callees +86137<n, 8 digits>, n in from..<from+count.
    func notifyJobs(count: Int, prefix: String, from: Int = 0) -> [JobSpec] {
        (from..<(from + count)).map { index in
            JobSpec(
                id: "\(prefix)\(index)", type: .notify, calleeNbr: "+86137" + String(format: "%08d", index),
                payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]))
        }
    }
}
