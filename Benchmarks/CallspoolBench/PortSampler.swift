import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import VoiceCallSimulator

/// Polls the simulator and integrates its ports in use over time: the
/// integral is the sum of every call's accept-to-end time (the simulator
/// holds one port per call from acceptance to release), so
/// integral ÷ completed calls is the measured mean call time.
struct PortSampler {
    struct Figures {
        var portsInUse = 0
        var acceptedCalls = 0
        var completedCalls = 0
        var peakPorts = 0
        var requests = 0
        var refusedPorts = 0
    }

    let simulator: VoiceCallSimulator
    private(set) var portSeconds = 0.0
    private(set) var latest = Figures()
    private var lastPoll: ContinuousClock.Instant?

    init(simulator: VoiceCallSimulator) {
        self.simulator = simulator
    }

    /// Reads the simulator once and adds the ports held since the last poll.
    @discardableResult
    mutating func poll() async -> Figures {
        let figures = await Self.read(simulator)
        let now = ContinuousClock.now
        if let lastPoll { portSeconds += Double(latest.portsInUse) * (now - lastPoll).timeInterval }
        lastPoll = now
        latest = figures
        return figures
    }

    /// Only the counters: the snapshot is dropped at once so the simulator's
    /// logs are not copied on its next write.
    private static func read(_ simulator: VoiceCallSimulator) async -> Figures {
        let snapshot = await simulator.snapshot()
        return Figures(
            portsInUse: snapshot.portsInUse, acceptedCalls: snapshot.acceptedCalls, completedCalls: snapshot.completedCalls,
            peakPorts: snapshot.peakPorts, requests: snapshot.resultCodes.values.reduce(0, +),
            refusedPorts: snapshot.resultCodes["1020154"] ?? 0)
    }
}
