import Foundation

/// One side of the hidden-port-limit campaign: how long it took against the
/// ideal, and how often the platform said "out of ports".
struct CampaignResult {
    var who: String
    /// Calls the platform played (the campaign's, plus any verify calls).
    var calls: Int
    var verifyCalls: Int
    /// First request reaching the simulator → last call released, real seconds.
    var makespan: Double
    /// ∫ ports in use dt over the run = Σ accept-to-end of every call, real seconds.
    var portSeconds: Double
    var requests: Int
    var refusedPorts: Int
    var peakPorts: Int
    var hiddenPorts: Int
    /// The scripted mean call time, real seconds.
    var scriptedCallSeconds: Double

    var meanCallSeconds: Double { calls > 0 ? portSeconds / Double(calls) : .nan }
    /// calls × mean call time ÷ hidden ports.
    var ideal: Double { Double(calls) * meanCallSeconds / Double(hiddenPorts) }
    var ratio: Double { makespan / ideal }
    var refusedShare: Double { requests > 0 ? Double(refusedPorts) / Double(requests) : 0 }
    /// The same ratio against the scripted mean call time.
    var scriptedRatio: Double { makespan / (Double(calls) * scriptedCallSeconds / Double(hiddenPorts)) }

    static let header = "| dispatcher | calls | makespan | mean call (measured) | ideal | makespan ÷ ideal | ÷ scripted ideal | requests | 1020154 | peak ports |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"

    var row: String {
        String(
            format: "| %@ | %d%@ | %.1f s | %.3f s | %.1f s | **%.3f** | %.3f | %d | %d (%.2f %%) | %d |",
            who, calls, verifyCalls > 0 ? " (\(verifyCalls) verify)" : "", makespan, meanCallSeconds, ideal, ratio, scriptedRatio,
            requests, refusedPorts, refusedShare * 100, peakPorts)
    }

    var verdict: String {
        let ok = ratio <= 1.05 && refusedShare <= 0.01
        return String(format: "%@: makespan ÷ ideal %.3f (target ≤ 1.05), 1020154 share %.2f %% (target ≤ 1 %%): %@", who, ratio, refusedShare * 100, ok ? "meets" : "BELOW")
    }
}
