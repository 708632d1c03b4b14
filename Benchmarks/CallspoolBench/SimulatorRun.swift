import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import VoiceCallAPI
import VoiceCallSimulator

/// One in-process simulator listening on a free loopback port, its requests
/// observed by an ``ArrivalLog``.
struct SimulatorRun {
    let simulator: VoiceCallSimulator
    let arrivals: ArrivalLog
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    static func start(scenario: SimulatorScenario, timeScale: Double, logger: Logger, keepRequests: Bool = false) async throws -> SimulatorRun {
        let simulator = VoiceCallSimulator(configuration: .init(scenario: scenario, clock: SimulatorClock(timeScale: timeScale), seed: 1, logger: logger))
        let arrivals = ArrivalLog(keepsRequests: keepRequests)
        let plain = simulator.makeApplication(host: "127.0.0.1", port: 0)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let observed = Application(
            responder: ObservingResponder(wrapped: plain.responder, log: arrivals),
            configuration: plain.configuration, services: plain.services,
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [observed], logger: logger))
        let task = Task { try await group.run() }
        var bound = 0
        for await port in ports { bound = port }
        guard bound > 0 else { throw BenchError("the simulator did not start listening") }
        return SimulatorRun(simulator: simulator, arrivals: arrivals, port: bound, group: group, task: task)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
